import { ApiError } from '@/lib/api-client';
import {
  addDays,
  fromInputValue,
  todayInZone,
  toInputValue,
  wallTimeAt,
  type PlainDate,
} from '@/lib/clinic-time';
import type { AppointmentInput } from '@/lib/api/models';

/** The form as its inputs hold it: times as `datetime-local` values in the clinic's zone. */
export type FormValues = AppointmentInput;
export type FieldName = keyof FormValues;
export type FieldErrors = Partial<Record<FieldName, string>>;

export const FIELD_ORDER: FieldName[] = [
  'title',
  'clientName',
  'clientEmail',
  'startsAt',
  'endsAt',
  'location',
  'status',
  'notes',
];

export const FIELD_LABELS: Record<FieldName, string> = {
  title: 'Title',
  clientName: 'Client name',
  clientEmail: 'Client e-mail',
  startsAt: 'Starts',
  endsAt: 'Ends',
  location: 'Location',
  status: 'Status',
  notes: 'Notes',
};

const HOUR = 3_600_000;
const MAX_LENGTH: Partial<Record<FieldName, number>> = {
  title: 200,
  clientName: 200,
  location: 200,
  notes: 5000,
};
// What the server accepts as an e-mail address, roughly: something@something.tld, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A new appointment's starting values: on `date` at 09:00 (a day picked in the list), or the
 * next full hour today; half an hour long.
 */
export function initialValues(tz: string, date: PlainDate | null, now = Date.now()): FormValues {
  const today = todayInZone(tz, now);
  const hour = wallTimeAt(now, tz).hour;
  const start = date
    ? fromInputValue(`${date}T09:00`, tz)!
    : hour < 23
      ? fromInputValue(`${today}T${String(hour + 1).padStart(2, '0')}:00`, tz)!
      : fromInputValue(`${addDays(today, 1)}T00:00`, tz)!;
  const end = new Date(Date.parse(start) + HOUR / 2).toISOString();
  return {
    title: '',
    clientName: '',
    clientEmail: '',
    startsAt: toInputValue(start, tz),
    endsAt: toInputValue(end, tz),
    location: '',
    notes: '',
    status: 'scheduled',
  };
}

/** What is wrong, field by field, in plain words (the server checks the same and has the last word). */
export function validate(v: FormValues, tz: string): FieldErrors {
  const e: FieldErrors = {};
  if (!v.title.trim()) e.title = 'Enter a title.';
  if (!v.clientName.trim()) e.clientName = 'Enter the client’s name.';
  if (!v.clientEmail.trim()) e.clientEmail = 'Enter the client’s e-mail address.';
  else if (!EMAIL.test(v.clientEmail.trim()))
    e.clientEmail = 'Enter an e-mail address like name@example.com.';
  const start = fromInputValue(v.startsAt, tz);
  const end = fromInputValue(v.endsAt, tz);
  if (!start) e.startsAt = 'Enter the date and time it starts.';
  if (!end) e.endsAt = 'Enter the date and time it ends.';
  if (start && end) {
    const length = Date.parse(end) - Date.parse(start);
    if (length <= 0) e.endsAt = 'The end must be after the start.';
    else if (length > 24 * HOUR) e.endsAt = 'An appointment lasts at most 24 hours.';
  }
  for (const [field, max] of Object.entries(MAX_LENGTH) as [FieldName, number][])
    if (!e[field] && v[field].length > max) e[field] = `At most ${max} characters (now ${v[field].length}).`;
  return e;
}

/** The body of `POST /api/appointments`: times as instants, text trimmed where spaces mean nothing. */
export function toCreateBody(v: FormValues, tz: string): AppointmentInput {
  return {
    title: v.title.trim(),
    clientName: v.clientName.trim(),
    clientEmail: v.clientEmail.trim(),
    // A value that does not parse goes as typed: the server says why.
    startsAt: fromInputValue(v.startsAt, tz) ?? v.startsAt,
    endsAt: fromInputValue(v.endsAt, tz) ?? v.endsAt,
    location: v.location.trim(),
    notes: v.notes,
    status: v.status,
  };
}

/**
 * A 422 (or a 400 naming a member) as errors beside the inputs; what names no input of the
 * form goes in `other`, so nothing the server said is dropped.
 */
export function serverFieldErrors(error: unknown): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  if (!(error instanceof ApiError) || !error.fields?.length) return { fields, other };
  for (const f of error.fields) {
    if ((FIELD_ORDER as string[]).includes(f.field)) {
      const k = f.field as FieldName;
      fields[k] = fields[k] ? `${fields[k]} ${f.message}` : f.message;
    } else other.push(`${f.field}: ${f.message}`);
  }
  return { fields, other };
}
