import { afterEach, describe, expect, it, vi } from 'vitest';
import { alice, bob, makeAppointment, makeLock } from '@/testing/fixtures';
import type { Offer } from './api/models';
import { dispatchFeedFrame, feedReducer, initialFeedState, subscribeFeed, useFeedStore } from './feed-store';

const offer = (over: Partial<Offer> = {}): Offer => ({
  appointmentId: 'a1',
  userId: bob.id,
  name: bob.name,
  email: bob.email,
  sessionId: 's-bob',
  deadline: '2026-11-28T10:01:00.000Z',
  ...over,
});

afterEach(() => useFeedStore.getState().reset());

describe('feedReducer', () => {
  it('follows snapshot, grants, takeovers and releases', () => {
    const l1 = makeLock(alice, 's1', { appointmentId: 'a1' });
    let s = feedReducer(initialFeedState, { seq: 1, type: 'snapshot', serverTime: 'x', locks: [l1] });
    expect(s.synced).toBe(true);
    expect(s.locks.a1).toEqual(l1);
    const l2 = makeLock(bob, 's2', { appointmentId: 'a2' });
    s = feedReducer(s, { seq: 2, type: 'lock.acquired', lock: l2 });
    expect(Object.keys(s.locks).sort()).toEqual(['a1', 'a2']);
    s = feedReducer(s, {
      seq: 3,
      type: 'lock.expired',
      appointmentId: 'a1',
      previousHolder: { userId: alice.id, name: alice.name, email: alice.email },
      reason: 'expiry',
    });
    expect(s.locks.a1).toBeUndefined();
    const l3 = makeLock(alice, 's1', { appointmentId: 'a2', fencingToken: 9 });
    s = feedReducer(s, { seq: 4, type: 'lock.taken_over', lock: l3, previousHolder: null, by: null });
    expect(s.locks.a2).toEqual(l3);
  });

  it('keeps open offers: from the snapshot, lock.offered, and lock.offer_ended of that same offer', () => {
    const first = offer();
    let s = feedReducer(initialFeedState, {
      seq: 1,
      type: 'snapshot',
      serverTime: 'x',
      locks: [],
      offers: [first],
    });
    expect(s.offers).toEqual({ a1: first });
    // The offer moves on to the next in line: ended, then offered.
    const next = offer({ userId: alice.id, name: alice.name, sessionId: 's-alice', deadline: 'later' });
    s = feedReducer(s, { seq: 2, type: 'lock.offer_ended', offer: first, reason: 'expired' });
    expect(s.offers.a1).toBeUndefined();
    s = feedReducer(s, { seq: 3, type: 'lock.offered', offer: next });
    expect(s.offers.a1).toEqual(next);
    // A late end of the earlier offer does not remove the current one.
    expect(feedReducer(s, { seq: 4, type: 'lock.offer_ended', offer: first, reason: 'expired' })).toBe(s);
    s = feedReducer(s, { seq: 5, type: 'lock.offer_ended', offer: next, reason: 'accepted' });
    expect(s.offers).toEqual({});
  });

  it('a feed snapshot without `offers` (an older server) means none; a room snapshot changes nothing', () => {
    const s = feedReducer(
      { ...initialFeedState, offers: { a1: offer() } },
      { seq: 1, type: 'snapshot', serverTime: 'x', locks: [] },
    );
    expect(s.offers).toEqual({});
    const room = feedReducer(s, {
      seq: 1,
      type: 'snapshot',
      serverTime: 'x',
      lock: null,
      appointment: { id: 'a1', version: 1 },
      presence: [],
      cursors: [],
      queue: [],
    });
    expect(room).toBe(s);
  });

  it('a deleted appointment takes its lock and offer with it', () => {
    let s = feedReducer(initialFeedState, {
      seq: 1,
      type: 'snapshot',
      serverTime: 'x',
      locks: [makeLock(alice, 's1', { appointmentId: 'a1' }), makeLock(bob, 's2', { appointmentId: 'a2' })],
      offers: [offer({ appointmentId: 'a1' })],
    });
    s = feedReducer(s, {
      seq: 2,
      type: 'appointment.deleted',
      appointmentId: 'a1',
      by: { userId: alice.id, name: alice.name, email: alice.email },
    });
    expect(Object.keys(s.locks)).toEqual(['a2']);
    expect(s.offers).toEqual({});
  });

  it('counts snapshots, so a listener can tell a reconnect (events possibly missed) from the first', () => {
    let s = feedReducer(initialFeedState, { seq: 1, type: 'snapshot', serverTime: 'x', locks: [] });
    expect(s.snapshots).toBe(1);
    s = feedReducer(s, { seq: 1, type: 'snapshot', serverTime: 'x', locks: [] });
    expect(s.snapshots).toBe(2);
  });
});

describe('dispatchFeedFrame / subscribeFeed', () => {
  it('applies the frame to the store before listeners hear of it; unsubscribing stops them', () => {
    const seen: unknown[] = [];
    const off = subscribeFeed((frame) => seen.push([frame.type, useFeedStore.getState().locks.a1?.userId]));
    dispatchFeedFrame({ seq: 1, type: 'lock.acquired', lock: makeLock(alice, 's1') });
    const created = {
      seq: 2,
      type: 'appointment.created' as const,
      appointment: makeAppointment({ id: 'a9' }),
    };
    dispatchFeedFrame(created);
    off();
    dispatchFeedFrame({ seq: 3, type: 'lock.acquired', lock: makeLock(bob, 's2') });
    expect(seen).toEqual([
      ['lock.acquired', alice.id],
      ['appointment.created', alice.id],
    ]);
  });

  it('one failing listener does not keep the frame from the others', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const got = vi.fn();
    const off1 = subscribeFeed(() => {
      throw new Error('boom');
    });
    const off2 = subscribeFeed(got);
    dispatchFeedFrame({ seq: 1, type: 'pong', serverTime: 'x' });
    expect(got).toHaveBeenCalledOnce();
    off1();
    off2();
  });
});
