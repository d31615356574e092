import { queryOptions } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { ClinicConfig } from '@/lib/types';

/** `GET /api/config`: no sign-in needed (the sign-in page asks whether this is a demo). */
export function getConfig() {
  return api<ClinicConfig>('/config', { anonymous: true });
}

/** Read once per session: the zone and the demo flag change only with a server restart. */
export function configQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.config,
    queryFn: getConfig,
    staleTime: Infinity,
    gcTime: Infinity,
  });
}
