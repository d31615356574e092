import { useMutation, type UseMutationOptions } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** Admins: asks the holder to hand over; they are told at once and have until `deadline`. */
export function requestControl(appointmentId: string, sessionId: string) {
  return api<{ deadline: string }>(`/appointments/${encodeURIComponent(appointmentId)}/request-control`, {
    method: 'POST',
    body: { sessionId },
  });
}

export function useRequestControl(
  appointmentId: string,
  sessionId: string,
  config: Omit<UseMutationOptions<{ deadline: string }, Error, void>, 'mutationFn'> = {},
) {
  return useMutation({ ...config, mutationFn: () => requestControl(appointmentId, sessionId) });
}
