import type { Appointment, AppointmentLock, User } from '@/lib/api/models';

export const alice: User = {
  id: 'u-alice',
  name: 'Alice Martin',
  email: 'alice@example.com',
  role: 'user',
  disabled: false,
};
export const bob: User = {
  id: 'u-bob',
  name: 'Bob Chen',
  email: 'bob@example.com',
  role: 'user',
  disabled: false,
};
export const carol: User = {
  id: 'u-carol',
  name: 'Carol Diaz',
  email: 'carol@example.com',
  role: 'admin',
  disabled: false,
};

export const SERVER_NOW = '2026-11-28T10:00:00.000Z';

export function makeAppointment(over: Partial<Appointment> = {}): Appointment {
  return {
    id: 'a1',
    title: 'Dental check-up',
    clientName: 'Maya Patel',
    clientEmail: 'maya@example.org',
    startsAt: '2026-11-29T09:00:00.000Z',
    endsAt: '2026-11-29T09:30:00.000Z',
    location: 'Room 1',
    notes: 'First visit',
    status: 'scheduled',
    version: 3,
    updatedAt: '2026-11-28T09:00:00.000Z',
    updatedBy: { id: carol.id, name: carol.name, email: carol.email },
    ...over,
  };
}

export function makeLock(who: User, sessionId: string, over: Partial<AppointmentLock> = {}): AppointmentLock {
  return {
    appointmentId: 'a1',
    userId: who.id,
    userInfo: { name: who.name, email: who.email },
    sessionId,
    acquiredAt: '2026-11-28T09:58:00.000Z',
    lastActivityAt: '2026-11-28T09:58:00.000Z',
    expiresAt: '2026-11-28T10:03:00.000Z',
    fencingToken: 7,
    position: null,
    ...over,
  };
}
