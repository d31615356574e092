import { fromInputValue, toInputValue } from '@/lib/clinic-time';
import type { Appointment, AppointmentInput } from '@/lib/api/models';
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

/** Times as `datetime-local` values showing the wall clock of the clinic's zone `tz`. */
export function toFormValues(i: AppointmentInput, tz: string): FormValues {
  return { ...i, startsAt: toInputValue(i.startsAt, tz), endsAt: toInputValue(i.endsAt, tz) };
}

/** `datetime-local` values read in the clinic's zone → ISO; a half-typed time stays as typed (the server says why). */
export function toInput(v: FormValues, tz: string): AppointmentInput {
  return {
    ...v,
    startsAt: fromInputValue(v.startsAt, tz) ?? v.startsAt,
    endsAt: fromInputValue(v.endsAt, tz) ?? v.endsAt,
  };
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
  tz: string,
): AppointmentInput {
  const v = toFormValues(values, tz);
  const b = toFormValues(base, tz);
  const out = { ...latest };
  for (const k of Object.keys(v) as Array<keyof FormValues>) {
    if (v[k] !== b[k]) (out as Record<string, string>)[k] = values[k];
  }
  return out;
}
