export type Role = 'user' | 'admin';

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role;
  disabled?: boolean;
}

export interface Person {
  userId: string;
  name: string;
  email: string;
}

export type AppointmentStatus = 'scheduled' | 'confirmed' | 'cancelled';

/** What a person edits: the one declaration of an appointment's fields. */
export interface AppointmentInput {
  title: string;
  clientName: string;
  clientEmail: string;
  startsAt: string;
  endsAt: string;
  location: string;
  notes: string;
  status: AppointmentStatus;
}

export interface Appointment extends AppointmentInput {
  id: string;
  version: number;
  updatedAt: string;
  updatedBy: { id: string; name: string; email: string };
}

/** A row of `GET /api/appointments`: the appointment and its lock, if any. */
export type AppointmentListItem = Appointment & { lock: AppointmentLock | null };

/** One page of `GET /api/appointments`; `nextCursor` (null on the last page) fetches the next. */
export interface AppointmentPage {
  items: AppointmentListItem[];
  nextCursor: string | null;
}

/** Another appointment in the same location whose time overlaps: a warning, never an error. */
export interface Conflict {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  location: string;
}

/** The lock offered to the head of the line until `deadline` (it stays free but reserved). */
export interface Offer {
  appointmentId: string;
  userId: string;
  name: string;
  email: string;
  sessionId: string;
  deadline: string;
}

/** `GET /api/config`: the clinic's IANA time zone and whether the server runs `--demo`. */
export interface ClinicConfig {
  timeZone: string;
  demo: boolean;
}

export interface AppointmentLock {
  appointmentId: string;
  userId: string;
  userInfo: { name: string; email: string };
  sessionId: string;
  acquiredAt: string;
  lastActivityAt: string;
  expiresAt: string;
  fencingToken: number;
  position?: { x: number; y: number } | null;
}

export interface Viewer {
  userId: string;
  name: string;
  email: string;
  role: Role;
  sessionId: string;
  color: string;
}

export interface Cursor {
  userId: string;
  sessionId: string;
  name: string;
  color: string;
  x: number;
  y: number;
}

export interface QueueEntry {
  userId: string;
  name: string;
  role: Role;
}

/** An editable field's API name (`AppointmentInput`'s keys). */
export type EditableField = keyof AppointmentInput;

/** The holder's unsaved values that differ from the saved version (WebSocket `draft`). */
export interface Draft {
  sessionId: string;
  userId: string;
  name: string;
  fields: Partial<Record<EditableField, string>>;
}

/** One saved version of an appointment (`GET /api/appointments/:id/history`), newest first. */
export interface HistoryEntry {
  version: number;
  at: string;
  by: { userId: string; name: string; email: string };
  /** API field names; times as ISO instants, `status` its name; `from` null on creation. */
  changes: { field: string; from: string | null; to: string | null }[];
}

export interface FieldError {
  field: string;
  message: string;
}

export type AuditAction =
  | 'acquired'
  | 'released'
  | 'expired'
  | 'granted'
  | 'control_requested'
  | 'control_handed_over'
  | 'taken_over'
  | 'force_released'
  | 'offered'
  | 'offer_declined'
  | 'offer_expired'
  | 'deleted';

export interface AuditPerson {
  id: string;
  name: string;
  email: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  appointmentId: string;
  action: AuditAction;
  /** null: the system (expiry). */
  actor: AuditPerson | null;
  previousHolder: AuditPerson | null;
  reason: string;
}
