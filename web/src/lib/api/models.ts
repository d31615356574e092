// The API's types by name, from the schema generated out of docs/openapi.yaml (schema.ts): the
// document is the one declaration of what the server sends and takes.
import type { components } from './schema';

type Schemas = components['schemas'];

export type Role = Schemas['Role'];
export type User = Schemas['User'];
/** A user as history entries and WebSocket frames name them. */
export type Person = Schemas['Person'];

export type AppointmentStatus = Schemas['AppointmentStatus'];
/** What a person edits: every editable field, as the form holds them. */
export type AppointmentInput = Required<Schemas['NewAppointment']>;
export type Appointment = Schemas['Appointment'];
/** A row of `GET /api/appointments`: the appointment and its lock, if any. */
export type AppointmentListItem = Schemas['AppointmentListItem'];
/** One page of `GET /api/appointments`; `nextCursor` (null on the last page) fetches the next. */
export type AppointmentPage = Schemas['AppointmentPage'];
/** The answer of a create or a save: the appointment and the ones it now overlaps. */
export type SavedAppointment = Schemas['SavedAppointment'];
/** Another appointment in the same location whose time overlaps: a warning, never an error. */
export type Conflict = Schemas['Conflict'];
/** One saved version of an appointment (`GET /api/appointments/:id/history`), newest first. */
export type HistoryEntry = Schemas['HistoryEntry'];
/** `GET /api/config`: the clinic's IANA time zone and whether the server runs `--demo`. */
export type ClinicConfig = Schemas['ClinicConfig'];

export type AppointmentLock = Schemas['AppointmentLock'];
/** The lock offered to the head of the line until `deadline` (it stays free but reserved). */
export type Offer = Schemas['Offer'];

export type Viewer = Schemas['Viewer'];
export type Cursor = Schemas['Cursor'];
export type QueueEntry = Schemas['QueueEntry'];
/** An editable field's API name. */
export type EditableField = Schemas['EditableField'];
/** The holder's unsaved values that differ from the saved version (WebSocket `draft`). */
export type Draft = Schemas['Draft'];

export type AuditAction = Schemas['AuditAction'];
export type AuditPerson = Schemas['UserRef'];
export type AuditEntry = Schemas['AuditEntry'];

export type FieldError = Schemas['FieldError'];
/** The `error` member of every error answer. */
export type ErrorDetail = Schemas['ErrorDetail'];
