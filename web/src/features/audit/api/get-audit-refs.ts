import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import { appointmentsQueryOptions } from '@/lib/api/get-appointments';
import type { AppointmentListItem, User } from '@/lib/api/models';

export type AppointmentRef = Pick<AppointmentListItem, 'id' | 'title' | 'startsAt'>;

const toRefs = (items: AppointmentListItem[]): AppointmentRef[] =>
  items.map(({ id, title, startsAt }) => ({ id, title, startsAt }));

/** Titles for the audit rows and the appointment filter, from the list's own cache entry. */
export function useAppointmentRefs() {
  return useQuery({ ...appointmentsQueryOptions(), select: toRefs });
}

/** Everyone who can appear as an actor (admins only). */
export async function getUsers(): Promise<User[]> {
  const res = await api<{ items: User[] }>('/users');
  return res.items;
}

export function useUsers() {
  return useQuery(queryOptions({ queryKey: queryKeys.users, queryFn: getUsers }));
}
