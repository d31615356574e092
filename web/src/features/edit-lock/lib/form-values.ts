import { fromLocalInput, toLocalInput } from '@/lib/format';
import type { Appointment, AppointmentInput } from '@/lib/types';
import type { FormValues } from '../components/appointment-fields';

export function inputOf(a: Appointment): AppointmentInput {
  return {
    title: a.title,
    clientName: a.clientName,
    clientEmail: a.clientEmail,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    location: a.location,
    notes: a.notes,
    status: a.status,
  };
}

export function toFormValues(i: AppointmentInput): FormValues {
  return { ...i, startsAt: toLocalInput(i.startsAt), endsAt: toLocalInput(i.endsAt) };
}

export function toInput(v: FormValues): AppointmentInput {
  return { ...v, startsAt: fromLocalInput(v.startsAt), endsAt: fromLocalInput(v.endsAt) };
}

/** Compared as the form shows them, so minute-precision inputs do not look dirty. */
export function sameForm(a: FormValues, b: FormValues) {
  return (Object.keys(a) as Array<keyof FormValues>).every((k) => a[k] === b[k]);
}

/**
 * Re-bases typed values on a newer version: the fields this person changed (against
 * `base`, what they started from) keep their value; every other field takes `latest`,
 * so re-applying a draft never reverts someone else's save.
 */
export function rebase(
  values: AppointmentInput,
  base: AppointmentInput,
  latest: AppointmentInput,
): AppointmentInput {
  const v = toFormValues(values);
  const b = toFormValues(base);
  const out = { ...latest };
  for (const k of Object.keys(v) as Array<keyof FormValues>) {
    if (v[k] !== b[k]) (out as Record<string, string>)[k] = values[k];
  }
  return out;
}
