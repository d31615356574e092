import { queryOptions } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { AppointmentListItem } from '@/lib/api/models';

// Shared: the list page and the audit page's titles read the same `/appointments` cache entry.
export async function getAppointments() {
  const res = await api<{ items: AppointmentListItem[] }>('/appointments');
  return res.items;
}

export function appointmentsQueryOptions() {
  return queryOptions({ queryKey: queryKeys.appointmentList(), queryFn: getAppointments });
}
