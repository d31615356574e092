import type { AppointmentInput, Draft, EditableField } from '@/lib/api/models';
import type { FormValues } from '../components/appointment-fields';
import { toFormValues, toInput } from './form-values';

export type DraftFields = Draft['fields'];

const FIELDS: EditableField[] = [
  'title',
  'clientName',
  'clientEmail',
  'startsAt',
  'endsAt',
  'location',
  'notes',
  'status',
];

/**
 * What the holder changed against the saved version, as the API spells values (times as ISO
 * instants): compared as the form shows them, so a minute-precision time is no change.
 */
export function draftFields(values: FormValues, saved: AppointmentInput, tz: string): DraftFields {
  const shown = toFormValues(saved, tz);
  const input = toInput(values, tz);
  const out: DraftFields = {};
  for (const k of FIELDS) if (values[k] !== shown[k]) out[k] = input[k];
  return out;
}

/** One string per set of fields, in a fixed order: equal drafts give equal keys. */
export function draftKey(fields: DraftFields): string {
  return JSON.stringify(FIELDS.filter((k) => k in fields).map((k) => [k, fields[k]]));
}

/** The saved values with the holder's typed ones on top, as the form shows them. */
export function withDraft(saved: AppointmentInput, fields: DraftFields | undefined, tz: string): FormValues {
  return toFormValues({ ...saved, ...(fields ?? {}) } as AppointmentInput, tz);
}

/** The fields a viewer sees marked "not saved yet": typed and really different from the saved value. */
export function unsavedFields(
  saved: AppointmentInput,
  fields: DraftFields | undefined,
  tz: string,
): Set<EditableField> {
  const shown = toFormValues(saved, tz);
  const typed = withDraft(saved, fields, tz);
  return new Set(FIELDS.filter((k) => fields && k in fields && typed[k] !== shown[k]));
}

/** The server refuses a `draft` frame over 16 KiB (a violation); a little room is left for the envelope. */
export const DRAFT_MAX_BYTES = 16 * 1024 - 256;

/**
 * What fits in one `draft` frame: long notes in a script of multi-byte characters can pass
 * 16 KiB; then the notes are left out (viewers keep seeing the saved notes) rather than the
 * frame being refused.
 */
export function fitDraft(fields: DraftFields): DraftFields {
  const size = (f: DraftFields) =>
    new TextEncoder().encode(JSON.stringify({ type: 'draft', fields: f })).length;
  if (size(fields) <= DRAFT_MAX_BYTES) return fields;
  const { notes: _notes, ...rest } = fields;
  return size(rest) <= DRAFT_MAX_BYTES ? rest : {};
}
