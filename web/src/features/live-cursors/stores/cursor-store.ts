import { create } from 'zustand';
import type { Cursor } from '@/lib/api/models';
import type { ServerFrame } from '@/lib/ws-frames';

/** One other tab's pointer; `movedAt` is local time, for the idle fade. */
export interface CursorEntry extends Cursor {
  movedAt: number;
}

export interface CursorState {
  /** Keyed by sessionId: one pointer per tab. */
  cursors: Record<string, CursorEntry>;
  /** The tab holding the appointment's lock: its tag also says "editing". */
  holderSessionId: string | null;
  /** The viewer's own user: their pointers are never drawn (the server leaves them out too). */
  meUserId: string | null;
}

export const initialCursorState = (meUserId: string | null = null): CursorState => ({
  cursors: {},
  holderSessionId: null,
  meUserId,
});

function withoutMissing(cursors: Record<string, CursorEntry>, present: Set<string>) {
  const kept = Object.entries(cursors).filter(([sessionId]) => present.has(sessionId));
  return kept.length === Object.keys(cursors).length ? cursors : Object.fromEntries(kept);
}

/**
 * Pure: a room frame → the next cursor state. Returns the same object when nothing
 * changed, so transient subscribers only hear about real moves.
 */
export function cursorReducer(state: CursorState, frame: ServerFrame, now: number): CursorState {
  switch (frame.type) {
    case 'snapshot': {
      if (!('appointment' in frame)) return state;
      const present = new Set(frame.presence.map((v) => v.sessionId));
      const cursors: Record<string, CursorEntry> = {};
      for (const c of frame.cursors ?? [])
        if (c.userId !== state.meUserId && present.has(c.sessionId))
          cursors[c.sessionId] = { ...c, movedAt: now };
      return { ...state, cursors, holderSessionId: frame.lock?.sessionId ?? null };
    }
    case 'cursors': {
      let cursors: Record<string, CursorEntry> | null = null;
      for (const c of frame.cursors) {
        if (c.userId === state.meUserId) continue;
        cursors ??= { ...state.cursors };
        cursors[c.sessionId] = { ...c, movedAt: now };
      }
      return cursors ? { ...state, cursors } : state;
    }
    case 'presence': {
      const cursors = withoutMissing(state.cursors, new Set(frame.presence.map((v) => v.sessionId)));
      return cursors === state.cursors ? state : { ...state, cursors };
    }
    case 'lock.acquired':
    case 'lock.refreshed':
    case 'lock.granted':
    case 'lock.taken_over':
      return state.holderSessionId === frame.lock.sessionId
        ? state
        : { ...state, holderSessionId: frame.lock.sessionId };
    case 'lock.released':
    case 'lock.expired':
      return state.holderSessionId === null ? state : { ...state, holderSessionId: null };
    default:
      return state;
  }
}

interface CursorStore extends CursorState {
  apply: (frame: ServerFrame, now?: number) => void;
  reset: (meUserId: string | null) => void;
}

/**
 * Live pointers of the open appointment. Rendering reads positions with the
 * transient `subscribe`, not through React: a move re-renders nothing.
 */
export const useCursorStore = create<CursorStore>((set) => ({
  ...initialCursorState(),
  apply: (frame, now = Date.now()) =>
    set((s) => {
      const next = cursorReducer(s, frame, now);
      return next === s ? s : next;
    }),
  reset: (meUserId) => set(initialCursorState(meUserId)),
}));
