import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { Appointment } from '@/lib/api/models';

export function getAppointment(id: string) {
  return api<Appointment>(`/appointments/${encodeURIComponent(id)}`);
}

export function appointmentQueryOptions(id: string) {
  return queryOptions({ queryKey: queryKeys.appointment(id), queryFn: () => getAppointment(id) });
}

export function useAppointment(id: string) {
  return useQuery(appointmentQueryOptions(id));
}
