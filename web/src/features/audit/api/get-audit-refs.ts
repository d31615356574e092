import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { User } from '@/lib/types';

export interface AppointmentRef {
  id: string;
  title: string;
  startsAt: string;
}

/** Titles for the audit rows and the appointment filter. */
export async function getAppointmentRefs(): Promise<AppointmentRef[]> {
  const res = await api<{ items: AppointmentRef[] }>('/appointments');
  return res.items.map(({ id, title, startsAt }) => ({ id, title, startsAt }));
}

export function useAppointmentRefs() {
  return useQuery(
    queryOptions({ queryKey: [...queryKeys.audit, 'appointments'], queryFn: getAppointmentRefs }),
  );
}

/** Everyone who can appear as an actor (admins only). */
export async function getUsers(): Promise<User[]> {
  const res = await api<{ items: User[] }>('/users');
  return res.items;
}

export function useUsers() {
  return useQuery(queryOptions({ queryKey: queryKeys.users, queryFn: getUsers }));
}
