import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { Appointment, AppointmentPage, AppointmentStatus } from '@/lib/api/models';

/** What `GET /api/appointments` is asked: one view of the list. */
export interface PageQuery {
  from: string;
  to?: string;
  q: string;
  status: AppointmentStatus[];
}

export const PAGE_SIZE = 50;

export async function getAppointmentPage(q: PageQuery, cursor: string | null, signal?: AbortSignal) {
  const params = new URLSearchParams({ from: q.from });
  if (q.to) params.set('to', q.to);
  if (q.q.trim()) params.set('q', q.q.trim());
  for (const s of q.status) params.append('status', s);
  params.set('limit', String(PAGE_SIZE));
  if (cursor) params.set('cursor', cursor);
  const page = await api<AppointmentPage>(`/appointments?${params}`, { signal });
  // A server from before paging answers without `nextCursor`: one page, then.
  return { items: page.items, nextCursor: page.nextCursor ?? null };
}

export function appointmentPagesQueryOptions(q: PageQuery) {
  return infiniteQueryOptions({
    queryKey: queryKeys.appointmentPages(q),
    queryFn: ({ pageParam, signal }) => getAppointmentPage(q, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: AppointmentPage) => last.nextCursor,
  });
}

export function useAppointmentPages(q: PageQuery, enabled: boolean) {
  return useInfiniteQuery({ ...appointmentPagesQueryOptions(q), enabled });
}

/** One appointment as stored now (after an `appointment.updated` frame). */
export function getAppointment(id: string, signal?: AbortSignal) {
  return api<Appointment>(`/appointments/${encodeURIComponent(id)}`, { signal });
}
