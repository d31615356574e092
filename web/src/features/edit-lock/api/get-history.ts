import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { HistoryEntry } from '@/lib/api/models';

export const historyKey = (id: string) => [...queryKeys.appointment(id), 'history'] as const;

export function getHistory(id: string) {
  return api<{ items: HistoryEntry[] }>(`/appointments/${encodeURIComponent(id)}/history`);
}

/** Every saved version, newest first; refreshed when the room says the appointment was saved. */
export function historyQueryOptions(id: string) {
  return queryOptions({ queryKey: historyKey(id), queryFn: () => getHistory(id), staleTime: 0 });
}

export function useHistory(id: string, enabled = true) {
  return useQuery({ ...historyQueryOptions(id), enabled });
}
