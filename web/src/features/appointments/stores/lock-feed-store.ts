import { create } from 'zustand';
import type { ConnectionStatus } from '@/lib/ws-client';
import type { ServerFrame } from '@/lib/ws-frames';
import type { AppointmentLock } from '@/lib/types';

export interface LockFeedState {
  /** Live locks by appointment id, once the feed's snapshot has arrived. */
  locks: Record<string, AppointmentLock>;
  synced: boolean;
  connection: ConnectionStatus;
}

export const initialFeedState: LockFeedState = { locks: {}, synced: false, connection: 'idle' };

export function feedReducer(state: LockFeedState, frame: ServerFrame): LockFeedState {
  switch (frame.type) {
    case 'snapshot': {
      const locks: Record<string, AppointmentLock> = {};
      for (const l of 'locks' in frame && frame.locks ? frame.locks : []) locks[l.appointmentId] = l;
      return { ...state, locks, synced: true };
    }
    case 'lock.acquired':
    case 'lock.refreshed':
    case 'lock.granted':
    case 'lock.taken_over':
      return { ...state, locks: { ...state.locks, [frame.lock.appointmentId]: frame.lock } };
    case 'lock.released':
    case 'lock.expired': {
      if (!(frame.appointmentId in state.locks)) return state;
      const locks = { ...state.locks };
      delete locks[frame.appointmentId];
      return { ...state, locks };
    }
    default:
      return state;
  }
}

interface LockFeedStore extends LockFeedState {
  apply: (frame: ServerFrame) => void;
  setConnection: (c: ConnectionStatus) => void;
  reset: () => void;
}

export const useLockFeedStore = create<LockFeedStore>((set) => ({
  ...initialFeedState,
  apply: (frame) => set((s) => feedReducer(s, frame)),
  setConnection: (connection) => set({ connection }),
  reset: () => set(initialFeedState),
}));
