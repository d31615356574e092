import type {
  Appointment,
  AppointmentLock,
  Cursor,
  Draft,
  EditableField,
  Offer,
  QueueEntry,
  Viewer,
} from './api/models';

export interface PersonRef {
  userId: string;
  name: string;
  email: string;
}

/** Frames the server sends; every one carries `seq` (per connection, from 1, no gaps). */
export type ServerFrame =
  | {
      seq: number;
      type: 'snapshot';
      serverTime: string;
      lock: AppointmentLock | null;
      appointment: { id: string; version: number };
      presence: Viewer[];
      cursors: Cursor[];
      queue: QueueEntry[];
      /** The open offer of this appointment's lock, if any. */
      offer?: Offer | null;
      /** The holder's unsaved changes, if any. */
      draft?: Draft | null;
    }
  | {
      seq: number;
      type: 'snapshot';
      serverTime: string;
      /** The list feed's snapshot: every live lock and every open offer. */
      locks: AppointmentLock[];
      offers?: Offer[];
      lock?: undefined;
    }
  | { seq: number; type: 'presence'; presence: Viewer[] }
  | { seq: number; type: 'lock.acquired' | 'lock.refreshed' | 'lock.granted'; lock: AppointmentLock }
  | {
      seq: number;
      type: 'lock.released' | 'lock.expired';
      appointmentId: string;
      previousHolder: PersonRef | null;
      reason: string;
      by?: PersonRef | null;
    }
  | {
      seq: number;
      type: 'lock.taken_over';
      lock: AppointmentLock;
      previousHolder: PersonRef | null;
      by: PersonRef | null;
    }
  | { seq: number; type: 'lock.queue'; appointmentId?: string; queue: QueueEntry[] }
  | {
      seq: number;
      type: 'control.requested' | 'control.declined';
      appointmentId?: string;
      by: PersonRef | null;
      holder?: PersonRef;
      deadline: string | null;
    }
  | {
      seq: number;
      type: 'appointment.updated';
      appointment: { id: string; version: number; updatedBy: { id: string; name: string; email: string } };
    }
  | {
      seq: number;
      type: 'appointment.created';
      /** Without `notes` (no list shows them; it keeps the frame small for PostgreSQL's notifications). */
      appointment: Omit<Appointment, 'notes'> & { notes?: string; lock?: null };
    }
  | { seq: number; type: 'appointment.deleted'; appointmentId: string; by: PersonRef | null }
  | { seq: number; type: 'lock.offered'; offer: Offer }
  | {
      seq: number;
      type: 'lock.offer_ended';
      offer: Offer;
      reason: 'accepted' | 'declined' | 'expired' | 'left' | 'deleted';
    }
  | ({ seq: number; type: 'draft' } & Draft)
  | { seq: number; type: 'cursors'; cursors: Cursor[] }
  | { seq: number; type: 'error'; code: string; message: string }
  | { seq: number; type: 'pong'; serverTime: string };

export type ServerFrameType = ServerFrame['type'];

export type ClientFrame =
  | { type: 'activity' }
  | { type: 'ping' }
  | { type: 'cursor'; x: number; y: number }
  /** The holder's unsaved values that differ from the saved version; `{}`: back to the saved ones. */
  | { type: 'draft'; fields: Partial<Record<EditableField, string>> };
