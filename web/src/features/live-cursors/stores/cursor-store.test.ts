import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Cursor, Viewer } from '@/lib/api/models';
import type { ServerFrame } from '@/lib/ws-frames';
import { alice, bob, carol, makeLock } from '@/testing/fixtures';
import { cursorReducer, initialCursorState, useCursorStore } from './cursor-store';

const cursor = (u: typeof alice, sessionId: string, x: number, y: number): Cursor => ({
  userId: u.id,
  sessionId,
  name: u.name,
  color: '#65a30d',
  x,
  y,
});
const viewer = (u: typeof alice, sessionId: string): Viewer => ({
  userId: u.id,
  name: u.name,
  email: u.email,
  role: u.role,
  sessionId,
  color: '#65a30d',
});
type RoomSnapshot = Extract<ServerFrame, { type: 'snapshot'; presence: unknown }>;
const snapshot = (over: Partial<RoomSnapshot> = {}): RoomSnapshot => ({
  seq: 1,
  type: 'snapshot',
  serverTime: '2026-11-28T10:00:00.000Z',
  lock: null,
  appointment: { id: 'a1', version: 1 },
  presence: [viewer(alice, 's-a'), viewer(bob, 's-b'), viewer(carol, 's-c')],
  cursors: [],
  queue: [],
  ...over,
});

describe('cursorReducer', () => {
  const me = initialCursorState(carol.id);

  it('snapshot: takes the last known pointers of tabs still present, never my own, and the holder', () => {
    const s = cursorReducer(
      me,
      snapshot({
        lock: makeLock(alice, 's-a'),
        cursors: [
          cursor(alice, 's-a', 0.1, 0.2),
          cursor(carol, 's-c', 0.5, 0.5),
          cursor(bob, 's-gone', 0, 0),
        ],
      }),
      1000,
    );
    expect(Object.keys(s.cursors)).toEqual(['s-a']);
    expect(s.cursors['s-a']).toMatchObject({ x: 0.1, y: 0.2, name: alice.name, movedAt: 1000 });
    expect(s.holderSessionId).toBe('s-a');
  });

  it('the list feed snapshot changes nothing', () => {
    expect(cursorReducer(me, { seq: 1, type: 'snapshot', serverTime: 'x', locks: [] }, 1)).toBe(me);
  });

  it('cursors: only the tabs that moved are updated; others keep their object', () => {
    const s1 = cursorReducer(
      me,
      { seq: 2, type: 'cursors', cursors: [cursor(alice, 's-a', 0.1, 0.1), cursor(bob, 's-b', 0.9, 0.9)] },
      10,
    );
    const s2 = cursorReducer(s1, { seq: 3, type: 'cursors', cursors: [cursor(alice, 's-a', 0.3, 0.4)] }, 20);
    expect(s2.cursors['s-a']).toMatchObject({ x: 0.3, y: 0.4, movedAt: 20 });
    expect(s2.cursors['s-b']).toBe(s1.cursors['s-b']);
  });

  it('cursors of my own user (any tab) are ignored without a new state', () => {
    const s = cursorReducer(
      me,
      { seq: 2, type: 'cursors', cursors: [cursor(carol, 's-other', 0.5, 0.5)] },
      1,
    );
    expect(s).toBe(me);
  });

  it('presence: a tab that left loses its pointer; nothing changes when all are still there', () => {
    const s1 = cursorReducer(
      me,
      { seq: 2, type: 'cursors', cursors: [cursor(alice, 's-a', 0.1, 0.1), cursor(bob, 's-b', 0.9, 0.9)] },
      10,
    );
    const s2 = cursorReducer(s1, { seq: 3, type: 'presence', presence: [viewer(alice, 's-a')] }, 11);
    expect(Object.keys(s2.cursors)).toEqual(['s-a']);
    const s3 = cursorReducer(s2, { seq: 4, type: 'presence', presence: [viewer(alice, 's-a')] }, 12);
    expect(s3).toBe(s2);
  });

  it('follows the holder through lock events', () => {
    let s = cursorReducer(me, { seq: 2, type: 'lock.acquired', lock: makeLock(alice, 's-a') }, 1);
    expect(s.holderSessionId).toBe('s-a');
    expect(cursorReducer(s, { seq: 3, type: 'lock.refreshed', lock: makeLock(alice, 's-a') }, 2)).toBe(s);
    s = cursorReducer(
      s,
      {
        seq: 4,
        type: 'lock.taken_over',
        lock: makeLock(carol, 's-c'),
        by: null,
        previousHolder: null,
      },
      3,
    );
    expect(s.holderSessionId).toBe('s-c');
    s = cursorReducer(
      s,
      { seq: 5, type: 'lock.released', appointmentId: 'a1', previousHolder: null, reason: 'user' },
      4,
    );
    expect(s.holderSessionId).toBeNull();
  });
});

describe('useCursorStore', () => {
  beforeEach(() => useCursorStore.getState().reset(carol.id));

  it('transient subscribers hear each move; a frame that changes nothing notifies no one', () => {
    const heard = vi.fn();
    const unsubscribe = useCursorStore.subscribe((s) => heard(s.cursors['s-a']?.x));
    useCursorStore.getState().apply({ seq: 2, type: 'cursors', cursors: [cursor(alice, 's-a', 0.25, 0.5)] });
    useCursorStore.getState().apply({ seq: 3, type: 'pong', serverTime: 'x' });
    useCursorStore.getState().apply({ seq: 4, type: 'cursors', cursors: [cursor(alice, 's-a', 0.75, 0.5)] });
    unsubscribe();
    expect(heard.mock.calls).toEqual([[0.25], [0.75]]);
  });
});
