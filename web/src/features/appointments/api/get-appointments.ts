import { useQuery } from '@tanstack/react-query';
import { appointmentsQueryOptions } from '@/lib/api/get-appointments';

export function useAppointments() {
  return useQuery(appointmentsQueryOptions());
}
