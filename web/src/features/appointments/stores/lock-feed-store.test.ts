import { describe, expect, it } from 'vitest';
import { alice, bob, makeLock } from '@/testing/fixtures';
import { feedReducer, initialFeedState } from './lock-feed-store';

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
});
