import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import { observeServerTime } from '@/lib/server-clock';
import type { Appointment, AppointmentLock, Offer } from '@/lib/api/models';

/** The offered appointment, for its title (the same cache entry as the appointment page's). */
export function useOfferedAppointment(appointmentId: string | null) {
  return useQuery({
    queryKey: queryKeys.appointment(appointmentId ?? ''),
    queryFn: () => api<Appointment>(`/appointments/${encodeURIComponent(appointmentId!)}`),
    enabled: !!appointmentId,
  });
}

/** Edit now: takes the offered lock for this tab (`acquire-lock`; the offered user may use any tab). */
export function useTakeOffer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ offer, sessionId }: { offer: Offer; sessionId: string }) => {
      const res = await api<{ lock: AppointmentLock; serverTime: string }>(
        `/appointments/${encodeURIComponent(offer.appointmentId)}/acquire-lock`,
        { method: 'POST', body: { sessionId } },
      );
      observeServerTime(res.serverTime);
      // Editing starts on the newest version.
      await qc.invalidateQueries({ queryKey: queryKeys.appointment(offer.appointmentId) });
      return res.lock;
    },
  });
}

/** Pass: leaves the line, which declines the offer; the next person is asked. */
export function usePassOffer() {
  return useMutation({
    mutationFn: (offer: Offer) =>
      api<{ left: boolean }>(
        `/appointments/${encodeURIComponent(offer.appointmentId)}/queue?sessionId=${encodeURIComponent(offer.sessionId)}`,
        { method: 'DELETE' },
      ),
  });
}
