import { useMutation, useQueryClient, type UseMutationOptions } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { observeServerTime } from '@/lib/server-clock';
import type { AppointmentLock } from '@/lib/api/models';
import { appointmentQueryOptions } from './get-appointment';
import { releaseLock } from './release-lock';

export interface AcquireInput {
  appointmentId: string;
  sessionId: string;
  takeover?: boolean;
  queue?: boolean;
  /** With takeover: the holder's token the admin confirmed; another holder by then → 409. */
  fencingToken?: number;
}

export type AcquireResult =
  { kind: 'acquired'; lock: AppointmentLock; serverTime: string } | { kind: 'queued'; position: number };

export async function acquireLock({ appointmentId, ...body }: AcquireInput): Promise<AcquireResult> {
  const res = await apiRequest<{
    lock?: AppointmentLock;
    serverTime?: string;
    queued?: boolean;
    position?: number;
  }>(`/appointments/${encodeURIComponent(appointmentId)}/acquire-lock`, { method: 'POST', body });
  if (res.status === 202 || res.data.queued) return { kind: 'queued', position: res.data.position ?? 1 };
  observeServerTime(res.data.serverTime);
  return { kind: 'acquired', lock: res.data.lock!, serverTime: res.data.serverTime! };
}

/** What the page asks for: edit, queue, take over (with the confirmed token), or move here from another tab. */
export type AcquireVars = { takeover?: boolean; queue?: boolean; fencingToken?: number; moveHere?: boolean };

/**
 * Acquire (or queue, or take over). A grant refetches the appointment first: editing starts on
 * the newest version, not on what the page loaded a while ago.
 */
export function useAcquireLock(
  appointmentId: string,
  sessionId: string,
  config: Omit<UseMutationOptions<AcquireResult, Error, AcquireVars>, 'mutationFn'> = {},
) {
  const qc = useQueryClient();
  return useMutation({
    ...config,
    mutationFn: async ({ moveHere, ...opts }: AcquireVars) => {
      if (moveHere) await releaseLock(appointmentId);
      const res = await acquireLock({ appointmentId, sessionId, ...opts });
      if (res.kind === 'acquired')
        await qc.fetchQuery({ ...appointmentQueryOptions(appointmentId), staleTime: 0 });
      return res;
    },
  });
}
