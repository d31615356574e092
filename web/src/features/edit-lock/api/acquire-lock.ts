import { apiRequest } from '@/lib/api-client';
import { observeServerTime } from '@/lib/server-clock';
import type { AppointmentLock } from '@/lib/types';

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
