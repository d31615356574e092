import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { User } from '@/lib/api/models';

export function getMe() {
  return api<User>('/me');
}

export function meQueryOptions() {
  return queryOptions({ queryKey: queryKeys.me, queryFn: getMe, staleTime: 60_000 });
}

export function useMe(enabled = true) {
  return useQuery({ ...meQueryOptions(), enabled });
}
