import { describe, expect, it } from 'vitest';
import type { Offer } from '@/lib/api/models';
import type { ServerFrame } from '@/lib/ws-frames';
import { alice, bob, carol, makeLock } from '@/testing/fixtures';
import { initialLockState, lockModeOf, lockReducer, type LockRoomState } from './lock-store';

const person = (u: typeof alice) => ({ userId: u.id, name: u.name, email: u.email });
const viewer = (u: typeof alice, sessionId: string) => ({
  ...person(u),
  role: u.role,
  sessionId,
  color: '#e11d48',
});
const aliceLock = makeLock(alice, 's-alice', { fencingToken: 7 });

function held(over: Partial<LockRoomState> = {}): LockRoomState {
  return { ...initialLockState('a1'), lock: aliceLock, live: true, ...over };
}

describe('lockReducer', () => {
  it('snapshot: replaces lock, presence and queue, and marks the room live', () => {
    const frame: ServerFrame = {
      seq: 1,
      type: 'snapshot',
      serverTime: '2026-11-28T10:00:00.000Z',
      lock: aliceLock,
      appointment: { id: 'a1', version: 4 },
      presence: [viewer(alice, 's-alice')],
      cursors: [],
      queue: [{ userId: bob.id, name: bob.name, role: 'user' }],
    };
    const s = lockReducer(initialLockState('a1'), frame);
    expect(s).toMatchObject({ lock: aliceLock, live: true });
    expect(s.presence).toHaveLength(1);
    expect(s.queue[0]!.userId).toBe(bob.id);
  });

  it('snapshot of the list feed (no appointment) leaves a room alone', () => {
    const before = held();
    const s = lockReducer(before, { seq: 1, type: 'snapshot', serverTime: 'x', locks: [] });
    expect(s).toBe(before);
  });

  it('presence: replaces the viewers', () => {
    const s = lockReducer(held(), { seq: 2, type: 'presence', presence: [viewer(bob, 's-bob')] });
    expect(s.presence.map((v) => v.userId)).toEqual([bob.id]);
  });

  it.each(['lock.acquired', 'lock.refreshed', 'lock.granted'] as const)('%s: sets the lock', (type) => {
    const lock = makeLock(bob, 's-bob', { fencingToken: 8 });
    const s = lockReducer(initialLockState('a1'), { seq: 2, type, lock });
    expect(s.lock).toEqual(lock);
  });

  it('lock.refreshed keeps a pending control request; a new holder clears it', () => {
    const controlRequest = { by: person(carol), holder: person(alice), deadline: '2026-11-28T10:00:30.000Z' };
    const refreshed = lockReducer(held({ controlRequest }), {
      seq: 2,
      type: 'lock.refreshed',
      lock: { ...aliceLock, expiresAt: '2026-11-28T10:05:00.000Z' },
    });
    expect(refreshed.controlRequest).toEqual(controlRequest);
    expect(refreshed.lock!.expiresAt).toBe('2026-11-28T10:05:00.000Z');
    const granted = lockReducer(held({ controlRequest }), {
      seq: 2,
      type: 'lock.granted',
      lock: makeLock(carol, 's-carol', { fencingToken: 8 }),
    });
    expect(granted.controlRequest).toBeNull();
  });

  it.each(['lock.released', 'lock.expired'] as const)('%s: frees the lock', (type) => {
    const s = lockReducer(held(), {
      seq: 3,
      type,
      appointmentId: 'a1',
      previousHolder: person(alice),
      reason: type === 'lock.expired' ? 'expiry' : 'user',
    });
    expect(s.lock).toBeNull();
  });

  it('lock.taken_over: the new holder and who took it from whom', () => {
    const lock = makeLock(carol, 's-carol', { fencingToken: 8 });
    const s = lockReducer(held(), {
      seq: 3,
      type: 'lock.taken_over',
      lock,
      previousHolder: person(alice),
      by: person(carol),
    });
    expect(s.lock).toEqual(lock);
    expect(s.takeover).toEqual({ by: person(carol), previousHolder: person(alice) });
  });

  it('lock.queue: replaces the line', () => {
    const s = lockReducer(held(), {
      seq: 3,
      type: 'lock.queue',
      appointmentId: 'a1',
      queue: [{ userId: carol.id, name: carol.name, role: 'admin' }],
    });
    expect(s.queue).toEqual([{ userId: carol.id, name: carol.name, role: 'admin' }]);
  });

  it('control.requested then control.declined', () => {
    const asked = lockReducer(held(), {
      seq: 3,
      type: 'control.requested',
      appointmentId: 'a1',
      by: person(carol),
      holder: person(alice),
      deadline: '2026-11-28T10:00:30.000Z',
    });
    expect(asked.controlRequest).toEqual({
      by: person(carol),
      holder: person(alice),
      deadline: '2026-11-28T10:00:30.000Z',
    });
    const declined = lockReducer(asked, {
      seq: 4,
      type: 'control.declined',
      appointmentId: 'a1',
      by: person(carol),
      holder: person(alice),
      deadline: '2026-11-28T10:00:30.000Z',
    });
    expect(declined.controlRequest).toBeNull();
    expect(declined.controlAnswer).toEqual({ kind: 'declined', by: person(carol), holder: person(alice) });
  });

  it('appointment.updated, error, cursors and pong change no lock state', () => {
    const before = held();
    const updatedBy = { id: alice.id, name: alice.name, email: alice.email };
    expect(
      lockReducer(before, {
        seq: 4,
        type: 'appointment.updated',
        appointment: { id: 'a1', version: 5, updatedBy },
      }),
    ).toBe(before);
    expect(lockReducer(before, { seq: 5, type: 'error', code: 'BAD_MESSAGE', message: 'nope' })).toBe(before);
    expect(lockReducer(before, { seq: 5, type: 'cursors', cursors: [] })).toBe(before);
    expect(lockReducer(before, { seq: 5, type: 'pong', serverTime: 'x' })).toBe(before);
  });

  it('local/seed applies only before the snapshot', () => {
    const lock = makeLock(bob, 's-bob', { fencingToken: 9 });
    expect(lockReducer(initialLockState('a1'), { type: 'local/seed', lock }).lock).toEqual(lock);
    expect(lockReducer(held(), { type: 'local/seed', lock }).lock).toEqual(aliceLock);
  });

  it('local/lock ignores answers older than what the socket said (fencing tokens only grow)', () => {
    const older = makeLock(bob, 's-bob', { fencingToken: 6 });
    expect(lockReducer(held(), { type: 'local/lock', lock: older }).lock).toEqual(aliceLock);
    const newer = makeLock(bob, 's-bob', { fencingToken: 8 });
    expect(lockReducer(held(), { type: 'local/lock', lock: newer }).lock).toEqual(newer);
    expect(lockReducer(held(), { type: 'local/lock', lock: null }).lock).toBeNull();
  });

  it('local/released frees only the lock it names', () => {
    expect(lockReducer(held(), { type: 'local/released', fencingToken: 7 }).lock).toBeNull();
    expect(lockReducer(held(), { type: 'local/released', fencingToken: 6 }).lock).toEqual(aliceLock);
  });

  it('local/connection: a lost socket means the state is no longer live', () => {
    const s = lockReducer(held(), { type: 'local/connection', status: 'reconnecting' });
    expect(s).toMatchObject({ connection: 'reconnecting', live: false });
  });
});

describe('lockModeOf', () => {
  it('tells my tab, my other tab, someone else and free apart', () => {
    const me = { userId: alice.id, sessionId: 's-alice' };
    expect(lockModeOf(null, me)).toBe('free');
    expect(lockModeOf(aliceLock, me)).toBe('mine');
    expect(lockModeOf(makeLock(alice, 's-other'), me)).toBe('other-tab');
    expect(lockModeOf(makeLock(bob, 's-alice'), me)).toBe('other');
  });
});

const typing = (fields: Record<string, string>, sessionId = 's-alice', who = alice): ServerFrame => ({
  seq: 5,
  type: 'draft',
  sessionId,
  userId: who.id,
  name: who.name,
  fields,
});
const bobOffer: Offer = {
  appointmentId: 'a1',
  userId: bob.id,
  name: bob.name,
  email: bob.email,
  sessionId: 's-bob',
  deadline: '2026-11-28T10:01:00.000Z',
};

describe('lockReducer: drafts (watching someone type)', () => {
  it("keeps the holder's typed values; an empty draft means back to the saved ones", () => {
    let s = lockReducer(held(), typing({ title: 'Check-up and cleaning' }));
    expect(s.draft).toMatchObject({ name: alice.name, fields: { title: 'Check-up and cleaning' } });
    s = lockReducer(s, typing({ title: 'Check-up and cleaning', notes: 'Bring X-rays' }));
    expect(s.draft?.fields).toEqual({ title: 'Check-up and cleaning', notes: 'Bring X-rays' });
    s = lockReducer(s, typing({}));
    expect(s.draft).toBeNull();
  });

  it("ignores a draft from a tab that does not hold the lock (another of the holder's tabs, or nobody)", () => {
    expect(lockReducer(held(), typing({ title: 'x' }, 's-alice-2')).draft).toBeNull();
    expect(lockReducer(held({ lock: null }), typing({ title: 'x' })).draft).toBeNull();
    expect(lockReducer(held(), typing({ title: 'x' }, 's-alice', bob)).draft).toBeNull();
  });

  it('is cleared by a save, a release, an expiry and a takeover', () => {
    const typed = lockReducer(held(), typing({ title: 'x' }));
    const updated: ServerFrame = {
      seq: 6,
      type: 'appointment.updated',
      appointment: {
        id: 'a1',
        version: 4,
        updatedBy: { id: alice.id, name: alice.name, email: alice.email },
      },
    };
    expect(lockReducer(typed, updated).draft).toBeNull();
    for (const type of ['lock.released', 'lock.expired'] as const)
      expect(
        lockReducer(typed, {
          seq: 6,
          type,
          appointmentId: 'a1',
          previousHolder: person(alice),
          reason: 'user',
        }).draft,
      ).toBeNull();
    const taken = lockReducer(typed, {
      seq: 6,
      type: 'lock.taken_over',
      lock: makeLock(carol, 's-carol', { fencingToken: 8 }),
      previousHolder: person(alice),
      by: person(carol),
    });
    expect(taken.draft).toBeNull();
    // a refresh of the same lock keeps it
    expect(lockReducer(typed, { seq: 6, type: 'lock.refreshed', lock: aliceLock }).draft).not.toBeNull();
  });

  it("shows the snapshot's draft on join", () => {
    const s = lockReducer(initialLockState('a1'), {
      seq: 1,
      type: 'snapshot',
      serverTime: '2026-11-28T10:00:00.000Z',
      lock: aliceLock,
      appointment: { id: 'a1', version: 3 },
      presence: [],
      cursors: [],
      queue: [],
      offer: null,
      draft: { sessionId: 's-alice', userId: alice.id, name: alice.name, fields: { location: 'Room 9' } },
    });
    expect(s.draft?.fields).toEqual({ location: 'Room 9' });
  });
});

describe('lockReducer: offers and deletion', () => {
  it('an offer is shown until it ends or someone holds the lock', () => {
    const free = held({ lock: null });
    const offered = lockReducer(free, { seq: 2, type: 'lock.offered', offer: bobOffer });
    expect(offered.offer).toEqual(bobOffer);
    expect(
      lockReducer(offered, { seq: 3, type: 'lock.offer_ended', offer: bobOffer, reason: 'expired' }).offer,
    ).toBeNull();
    expect(
      lockReducer(offered, {
        seq: 3,
        type: 'lock.granted',
        lock: makeLock(bob, 's-bob', { fencingToken: 8 }),
      }).offer,
    ).toBeNull();
    // the end of an older offer does not remove the newer one
    const carolOffer = { ...bobOffer, userId: carol.id, name: carol.name, sessionId: 's-carol' };
    const next = lockReducer(offered, { seq: 3, type: 'lock.offered', offer: carolOffer });
    expect(
      lockReducer(next, { seq: 4, type: 'lock.offer_ended', offer: bobOffer, reason: 'expired' }).offer,
    ).toEqual(carolOffer);
  });

  it('appointment.deleted: says who, and nothing is held, typed or offered any more', () => {
    const typed = lockReducer(held(), typing({ title: 'x' }));
    const s = lockReducer(typed, {
      seq: 9,
      type: 'appointment.deleted',
      appointmentId: 'a1',
      by: person(bob),
    });
    expect(s.deleted).toEqual({ by: person(bob) });
    expect(s).toMatchObject({ lock: null, draft: null, offer: null });
  });
});
