import { useMutation, useQueryClient, type UseMutationOptions } from '@tanstack/react-query';
import { api, isApiError } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import type { Appointment, AppointmentInput, Conflict } from '@/lib/api/models';
import { historyKey } from './get-history';
import { releaseLock } from './release-lock';

export interface SaveInput {
  appointmentId: string;
  fencingToken: number;
  version: number;
  values: AppointmentInput;
}

/** 423 LOCK_NOT_HELD, 409 VERSION_CONFLICT (with `current`) and 422 arrive as ApiError. */
export function saveAppointment({ appointmentId, fencingToken, version, values }: SaveInput) {
  return api<Appointment & { conflicts?: Conflict[] }>(`/appointments/${encodeURIComponent(appointmentId)}`, {
    method: 'PUT',
    headers: { 'X-Lock-Token': String(fencingToken) },
    body: { ...values, version },
  });
}

/** Save (only when something changed), Done (save, then release) and Cancel editing (release only). */
export type SaveVars = {
  /** null: nothing to save. */
  save: Omit<SaveInput, 'appointmentId'> | null;
  release: boolean;
  /** Cancel editing: the changes are dropped on purpose. */
  discard?: boolean;
};
export type SaveResult = {
  saved: Appointment | null;
  release: boolean;
  /** Overlaps in the same location, from the save's answer: a warning, not an error. */
  conflicts: Conflict[];
};

/** A save (or a 409's current version) goes into the cache; a save refreshes the list. */
export function useSaveAppointment(
  appointmentId: string,
  config: Omit<UseMutationOptions<SaveResult, Error, SaveVars>, 'mutationFn'> = {},
) {
  const qc = useQueryClient();
  return useMutation({
    ...config,
    mutationFn: async ({ save, release }: SaveVars) => {
      let saved: Appointment | null = null;
      let conflicts: Conflict[] = [];
      try {
        const answer = save ? await saveAppointment({ appointmentId, ...save }) : null;
        if (answer) {
          const { conflicts: found, ...appointment } = answer;
          saved = appointment;
          conflicts = found ?? [];
        }
      } catch (e) {
        // Someone else's save won: the page shows their version from now on.
        if (isApiError(e, 'VERSION_CONFLICT') && e.current)
          qc.setQueryData(queryKeys.appointment(appointmentId), e.current);
        throw e;
      }
      if (saved) {
        qc.setQueryData(queryKeys.appointment(appointmentId), saved);
        void qc.invalidateQueries({ queryKey: queryKeys.appointmentList() });
        void qc.invalidateQueries({ queryKey: historyKey(appointmentId) });
      }
      if (release) await releaseLock(appointmentId);
      return { saved, release, conflicts };
    },
  });
}
