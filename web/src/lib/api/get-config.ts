import { queryOptions } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { ClinicConfig } from '@/lib/api/models';

/** `GET /api/config`: no sign-in needed (the sign-in page asks whether this is a demo). */
export function getConfig() {
  return api<ClinicConfig>('/config', { anonymous: true });
}

/**
 * Read once per session: the zone and the demo flag change only with a server restart. A failed
 * read (after the client's retries) is not asked again by every component that mounts: pages
 * that wait for the zone would otherwise fall back to loading each time one does.
 */
export function configQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.config,
    queryFn: getConfig,
    staleTime: Infinity,
    gcTime: Infinity,
    retryOnMount: false,
  });
}
