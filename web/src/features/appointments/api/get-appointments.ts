import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { Appointment, AppointmentLock } from '@/lib/types';

export type AppointmentListItem = Appointment & { lock: AppointmentLock | null };

export async function getAppointments() {
  const res = await api<{ items: AppointmentListItem[] }>('/appointments');
  return res.items;
}

export function appointmentsQueryOptions() {
  return queryOptions({ queryKey: queryKeys.appointmentList(), queryFn: getAppointments });
}

export function useAppointments() {
  return useQuery(appointmentsQueryOptions());
}
