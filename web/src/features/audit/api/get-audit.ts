import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { AuditAction, AuditEntry } from '@/lib/api/models';

export interface AuditFilters {
  action?: AuditAction | '';
  appointmentId?: string;
  actorId?: string;
}

export interface AuditPage {
  items: AuditEntry[];
  nextBefore: number | null;
}

export const AUDIT_PAGE_SIZE = 50;

export function getAudit(filters: AuditFilters, before?: number | null) {
  const q = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) });
  if (filters.action) q.set('action', filters.action);
  if (filters.appointmentId) q.set('appointmentId', filters.appointmentId);
  if (filters.actorId) q.set('actorId', filters.actorId);
  if (before != null) q.set('before', String(before));
  return api<AuditPage>(`/audit?${q}`);
}

export function auditQueryOptions(filters: AuditFilters) {
  return infiniteQueryOptions({
    queryKey: queryKeys.auditLog(filters),
    queryFn: ({ pageParam }) => getAudit(filters, pageParam),
    initialPageParam: null as number | null,
    // The server says where the next page starts; null: this was the last one.
    getNextPageParam: (last) => last.nextBefore,
    staleTime: 0,
  });
}

export function useAudit(filters: AuditFilters) {
  return useInfiniteQuery(auditQueryOptions(filters));
}
