import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import { observeServerTime } from '@/lib/server-clock';
import type { AppointmentLock } from '@/lib/api/models';

export interface LockStatus {
  locked: boolean;
  lock: AppointmentLock | null;
  serverTime: string;
}

export async function getLockStatus(id: string) {
  const res = await api<LockStatus>(`/appointments/${encodeURIComponent(id)}/lock-status`);
  observeServerTime(res.serverTime);
  return res;
}

export function lockStatusQueryOptions(id: string) {
  // The socket keeps the lock live; this only seeds the page before the snapshot arrives.
  return queryOptions({ queryKey: queryKeys.lockStatus(id), queryFn: () => getLockStatus(id), staleTime: 0 });
}

export function useLockStatus(id: string) {
  return useQuery(lockStatusQueryOptions(id));
}
