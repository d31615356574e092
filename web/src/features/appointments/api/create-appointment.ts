import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { Appointment, AppointmentInput, Conflict } from '@/lib/api/models';

export type CreatedAppointment = Appointment & { conflicts: Conflict[] };

export function createAppointment(body: AppointmentInput) {
  return api<CreatedAppointment>('/appointments', { method: 'POST', body });
}

export function useCreateAppointment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createAppointment,
    onSuccess: ({ conflicts: _conflicts, ...appointment }) => {
      // Its page opens at once; the lists learn of it from the feed.
      qc.setQueryData(queryKeys.appointment(appointment.id), appointment);
      void qc.invalidateQueries({ queryKey: queryKeys.appointmentList(), refetchType: 'none' });
    },
  });
}
