import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { Conflict } from '@/lib/api/models';
import { useDebouncedValue } from '../hooks/use-debounced-value';

export interface ConflictQuery {
  /** ISO instants (convert `datetime-local` values with the clinic's zone first). */
  startsAt: string;
  endsAt: string;
  location: string;
  /** The appointment being edited: it does not conflict with itself. */
  excludeId?: string;
}

export async function getConflicts(q: ConflictQuery, signal?: AbortSignal) {
  const params = new URLSearchParams({ startsAt: q.startsAt, endsAt: q.endsAt, location: q.location });
  if (q.excludeId) params.set('excludeId', q.excludeId);
  const res = await api<{ conflicts: Conflict[] }>(`/conflicts?${params}`, { signal });
  return res.conflicts;
}

/** Worth asking: a location, two real times, the end after the start (as the server checks). */
export function isCheckable(q: ConflictQuery) {
  const start = Date.parse(q.startsAt);
  const end = Date.parse(q.endsAt);
  return q.location.trim() !== '' && Number.isFinite(start) && Number.isFinite(end) && end > start;
}

export function conflictsQueryOptions(q: ConflictQuery) {
  return queryOptions({
    queryKey: queryKeys.conflicts({ ...q, location: q.location.trim() }),
    queryFn: ({ signal }) => getConflicts({ ...q, location: q.location.trim() }, signal),
    enabled: isCheckable(q),
    staleTime: 5_000,
  });
}

export const CONFLICT_DEBOUNCE_MS = 400;

/**
 * Other appointments in the same location whose time overlaps, checked as the person edits
 * (`GET /api/conflicts`, once the values have settled for 400 ms). Nothing is asked while the
 * values cannot be checked (no location, a half-typed time): `conflicts` is then empty.
 */
export function useConflicts(q: ConflictQuery) {
  const key = useMemo(
    () => ({ startsAt: q.startsAt, endsAt: q.endsAt, location: q.location, excludeId: q.excludeId }),
    [q.startsAt, q.endsAt, q.location, q.excludeId],
  );
  const settled = useDebouncedValue(key, CONFLICT_DEBOUNCE_MS);
  const checkable = isCheckable(settled);
  const query = useQuery({ ...conflictsQueryOptions(settled), placeholderData: keepPreviousData });
  return {
    conflicts: checkable ? (query.data ?? []) : [],
    /** A check is waiting for the typing to settle or for the server. */
    checking: isCheckable(key) && (settled !== key || query.isFetching),
    error: query.error,
  };
}
