import { useMutation, type UseMutationOptions } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { observeServerTime } from '@/lib/server-clock';
import type { AppointmentLock } from '@/lib/api/models';

/** Counts as the holder's activity and pushes `expiresAt` on; 409 LOCK_NOT_HELD when lost. */
export async function heartbeat(appointmentId: string, sessionId: string) {
  const res = await api<{ lock: AppointmentLock; serverTime: string }>(
    `/appointments/${encodeURIComponent(appointmentId)}/heartbeat`,
    { method: 'POST', body: { sessionId } },
  );
  observeServerTime(res.serverTime);
  return res.lock;
}

/** "Keep editing". */
export function useHeartbeat(
  appointmentId: string,
  sessionId: string,
  config: Omit<UseMutationOptions<AppointmentLock, Error, void>, 'mutationFn'> = {},
) {
  return useMutation({ ...config, mutationFn: () => heartbeat(appointmentId, sessionId) });
}
