import { useMutation, useQueryClient, type UseMutationOptions } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';

/** Needs the lock, like a save: 423 LOCK_NOT_HELD without the holder's token. 204 on success. */
export function deleteAppointment(appointmentId: string, fencingToken: number) {
  return api<void>(`/appointments/${encodeURIComponent(appointmentId)}`, {
    method: 'DELETE',
    headers: { 'X-Lock-Token': String(fencingToken) },
  });
}

/** Deletes; the appointment leaves the cache and every list is refreshed. */
export function useDeleteAppointment(
  appointmentId: string,
  config: Omit<UseMutationOptions<void, Error, { fencingToken: number }>, 'mutationFn'> = {},
) {
  const qc = useQueryClient();
  return useMutation({
    ...config,
    mutationFn: async ({ fencingToken }) => {
      await deleteAppointment(appointmentId, fencingToken);
      qc.removeQueries({ queryKey: queryKeys.appointment(appointmentId) });
      void qc.invalidateQueries({ queryKey: queryKeys.appointmentList() });
    },
  });
}
