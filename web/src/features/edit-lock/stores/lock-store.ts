import { create } from 'zustand';
import type { ConnectionStatus } from '@/lib/ws-client';
import type { PersonRef, ServerFrame } from '@/lib/ws-frames';
import type { AppointmentLock, QueueEntry, Viewer } from '@/lib/types';

export interface ControlRequest {
  by: PersonRef;
  holder: PersonRef | null;
  deadline: string;
}

/** How a control request ended, as the requesting admin should hear it. */
export interface ControlAnswer {
  /**
   * declined: the holder kept working past the deadline · handed_over: the holder pressed Done /
   * hand over · deadline: the holder did not answer in time · left: their tab went away ·
   * expired: their lock ran out.
   */
  kind: 'declined' | 'handed_over' | 'deadline' | 'left' | 'expired';
  by: PersonRef | null;
  holder: PersonRef | null;
}

export interface LockRoomState {
  appointmentId: string | null;
  lock: AppointmentLock | null;
  /** A snapshot arrived: the state follows the server, not a REST guess. */
  live: boolean;
  presence: Viewer[];
  queue: QueueEntry[];
  controlRequest: ControlRequest | null;
  controlAnswer: ControlAnswer | null;
  takeover: { by: PersonRef | null; previousHolder: PersonRef | null } | null;
  /** The token this tab is giving back itself (Done, Cancel editing): its release is no news. */
  releasing: number | null;
  connection: ConnectionStatus;
}

export type LocalAction =
  /** lock-status over REST: ignored once the socket's snapshot is in. */
  | { type: 'local/seed'; lock: AppointmentLock | null }
  /** An answer to our own acquire/heartbeat, or an authoritative status after a 423. */
  | { type: 'local/lock'; lock: AppointmentLock | null }
  | { type: 'local/released'; fencingToken: number }
  | { type: 'local/releasing'; fencingToken: number }
  | { type: 'local/connection'; status: ConnectionStatus };

export type LockAction = ServerFrame | LocalAction;

export const initialLockState = (appointmentId: string | null = null): LockRoomState => ({
  appointmentId,
  lock: null,
  live: false,
  presence: [],
  queue: [],
  controlRequest: null,
  controlAnswer: null,
  takeover: null,
  releasing: null,
  connection: 'idle',
});

function newHolder(state: LockRoomState, lock: AppointmentLock): Partial<LockRoomState> {
  const changedHands = state.lock?.fencingToken !== lock.fencingToken;
  return changedHands ? { controlRequest: null } : {};
}

function answerOf(
  type: 'lock.released' | 'lock.expired',
  reason: string,
  request: ControlRequest,
  previousHolder: PersonRef | null,
): ControlAnswer | null {
  const holder = previousHolder ?? request.holder;
  if (type === 'lock.expired') return { kind: 'expired', by: request.by, holder };
  const kinds: Record<string, ControlAnswer['kind']> = {
    user: 'handed_over',
    control: 'deadline',
    disconnect: 'left',
  };
  // A forced release drops the request: nothing is handed over.
  return kinds[reason] ? { kind: kinds[reason], by: request.by, holder } : null;
}

/** Pure: every server frame and local answer → the next room state. */
export function lockReducer(state: LockRoomState, action: LockAction): LockRoomState {
  switch (action.type) {
    case 'snapshot':
      if (!('appointment' in action)) return state; // the list feed's snapshot
      return {
        ...state,
        lock: action.lock,
        live: true,
        presence: action.presence,
        queue: action.queue,
        controlRequest: action.lock ? state.controlRequest : null,
      };
    case 'presence':
      return { ...state, presence: action.presence };
    case 'lock.acquired':
    case 'lock.refreshed':
    case 'lock.granted': {
      const changed = state.lock?.fencingToken !== action.lock.fencingToken;
      return {
        ...state,
        ...newHolder(state, action.lock),
        lock: action.lock,
        // A grant is how a hand-over arrives: keep its answer to show; a plain acquire starts afresh.
        controlAnswer: changed && action.type === 'lock.acquired' ? null : state.controlAnswer,
      };
    }
    case 'lock.released':
    case 'lock.expired':
      return {
        ...state,
        lock: null,
        controlRequest: null,
        controlAnswer: state.controlRequest
          ? answerOf(action.type, action.reason, state.controlRequest, action.previousHolder)
          : state.controlAnswer,
      };
    case 'lock.taken_over':
      return {
        ...state,
        ...newHolder(state, action.lock),
        lock: action.lock,
        controlAnswer: null,
        takeover: { by: action.by, previousHolder: action.previousHolder },
      };
    case 'lock.queue':
      return { ...state, queue: action.queue };
    case 'control.requested':
      if (!action.by || !action.deadline) return state;
      return {
        ...state,
        controlAnswer: null,
        controlRequest: { by: action.by, holder: action.holder ?? null, deadline: action.deadline },
      };
    case 'control.declined':
      return {
        ...state,
        controlRequest: null,
        controlAnswer: { kind: 'declined', by: action.by, holder: action.holder ?? null },
      };
    case 'appointment.updated': // the page refetches the appointment (use-room-connection)
    case 'error': // the socket client acts on the errors that matter (close verdicts)
    case 'cursors': // the live-cursors feature listens to the socket itself
    case 'pong': // the clock is corrected by the connection, not stored here
      return state;
    case 'local/seed':
      return state.live ? state : { ...state, lock: action.lock };
    case 'local/lock': {
      const current = state.lock;
      // Tokens only grow: an answer older than what the socket already said loses.
      if (action.lock && current && action.lock.fencingToken < current.fencingToken) return state;
      if (!action.lock) return { ...state, lock: null, controlRequest: null };
      return { ...state, ...newHolder(state, action.lock), lock: action.lock };
    }
    case 'local/releasing':
      return { ...state, releasing: action.fencingToken };
    case 'local/released':
      if (state.lock?.fencingToken !== action.fencingToken) return state;
      return { ...state, lock: null, controlRequest: null };
    case 'local/connection':
      return { ...state, connection: action.status, live: action.status === 'open' ? state.live : false };
    default:
      return state;
  }
}

interface LockStore extends LockRoomState {
  dispatch: (action: LockAction) => void;
  reset: (appointmentId: string | null) => void;
}

export const useLockStore = create<LockStore>((set) => ({
  ...initialLockState(),
  dispatch: (action) => set((s) => lockReducer(s, action)),
  reset: (appointmentId) => set(initialLockState(appointmentId)),
}));

export type LockMode = 'free' | 'mine' | 'other-tab' | 'other';

export function lockModeOf(
  lock: AppointmentLock | null,
  me: { userId: string; sessionId: string },
): LockMode {
  if (!lock) return 'free';
  if (lock.userId === me.userId) return lock.sessionId === me.sessionId ? 'mine' : 'other-tab';
  return 'other';
}
