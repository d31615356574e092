import { create } from 'zustand';
import type { ConnectionStatus } from './ws-client';
import type { ServerFrame } from './ws-frames';
import type { AppointmentLock, Offer } from './api/models';

/**
 * The list-wide feed (`/api/updates`): one socket per tab while signed in (opened by
 * `useFeedSocket` in the app layout). Live locks and open offers are state here; the
 * appointment frames (created, updated, deleted) are events: subscribe with `subscribeFeed`.
 */
export interface FeedState {
  /** Live locks by appointment id, once the feed's snapshot has arrived. */
  locks: Record<string, AppointmentLock>;
  /** Open offers of a freed lock to the head of its line, by appointment id. */
  offers: Record<string, Offer>;
  /** The snapshot has arrived: `locks` and `offers` are the server's. */
  synced: boolean;
  /** Snapshots received since the tab signed in; a second one means frames may have been missed. */
  snapshots: number;
  connection: ConnectionStatus;
}

export const initialFeedState: FeedState = {
  locks: {},
  offers: {},
  synced: false,
  snapshots: 0,
  connection: 'idle',
};

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const next = { ...record };
  delete next[key];
  return next;
}

const sameOffer = (a: Offer | undefined, b: Offer) =>
  !!a && a.userId === b.userId && a.sessionId === b.sessionId && a.deadline === b.deadline;

export function feedReducer(state: FeedState, frame: ServerFrame): FeedState {
  switch (frame.type) {
    case 'snapshot': {
      if (!('locks' in frame)) return state; // a room's snapshot, not the feed's
      const locks: Record<string, AppointmentLock> = {};
      for (const l of frame.locks ?? []) locks[l.appointmentId] = l;
      const offers: Record<string, Offer> = {};
      for (const o of frame.offers ?? []) offers[o.appointmentId] = o;
      return { ...state, locks, offers, synced: true, snapshots: state.snapshots + 1 };
    }
    case 'lock.acquired':
    case 'lock.refreshed':
    case 'lock.granted':
    case 'lock.taken_over':
      return { ...state, locks: { ...state.locks, [frame.lock.appointmentId]: frame.lock } };
    case 'lock.released':
    case 'lock.expired': {
      const locks = without(state.locks, frame.appointmentId);
      return locks === state.locks ? state : { ...state, locks };
    }
    case 'lock.offered':
      return { ...state, offers: { ...state.offers, [frame.offer.appointmentId]: frame.offer } };
    case 'lock.offer_ended': {
      // `offer_ended` then `offered` to the next in line: only the offer that ended goes.
      const id = frame.offer.appointmentId;
      if (!sameOffer(state.offers[id], frame.offer)) return state;
      return { ...state, offers: without(state.offers, id) };
    }
    case 'appointment.deleted': {
      const locks = without(state.locks, frame.appointmentId);
      const offers = without(state.offers, frame.appointmentId);
      return locks === state.locks && offers === state.offers ? state : { ...state, locks, offers };
    }
    default:
      return state;
  }
}

interface FeedStore extends FeedState {
  apply: (frame: ServerFrame) => void;
  setConnection: (c: ConnectionStatus) => void;
  reset: () => void;
}

export const useFeedStore = create<FeedStore>((set) => ({
  ...initialFeedState,
  apply: (frame) => set((s) => feedReducer(s, frame)),
  setConnection: (connection) => set({ connection }),
  reset: () => set(initialFeedState),
}));

export type FeedListener = (frame: ServerFrame) => void;

const listeners = new Set<FeedListener>();

/**
 * Every frame of the feed, after the store has applied it: `appointment.created`, `.updated`,
 * `.deleted`, and `snapshot` (when `useFeedStore.getState().snapshots > 1`, the socket came
 * back and events may have been missed: refetch). Returns the unsubscribe function.
 */
export function subscribeFeed(listener: FeedListener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** The feed socket hands each frame here: state first, then the listeners. */
export function dispatchFeedFrame(frame: ServerFrame) {
  useFeedStore.getState().apply(frame);
  for (const l of [...listeners]) {
    try {
      l(frame);
    } catch (e) {
      console.error('feed listener', e);
    }
  }
}
