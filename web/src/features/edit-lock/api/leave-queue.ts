import { useMutation, type UseMutationOptions } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** Leaves the line this tab joined with "Notify me when free". */
export function leaveQueue(appointmentId: string, sessionId: string) {
  return api<{ left: boolean }>(
    `/appointments/${encodeURIComponent(appointmentId)}/queue?sessionId=${encodeURIComponent(sessionId)}`,
    { method: 'DELETE' },
  );
}

export function useLeaveQueue(
  appointmentId: string,
  sessionId: string,
  config: Omit<UseMutationOptions<{ left: boolean }, Error, void>, 'mutationFn'> = {},
) {
  return useMutation({ ...config, mutationFn: () => leaveQueue(appointmentId, sessionId) });
}
