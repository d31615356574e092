import { create } from 'zustand';
import type { ConnectionStatus } from '@/lib/ws-client';
import type { PersonRef, ServerFrame } from '@/lib/ws-frames';
import type { AppointmentLock, Draft, Offer, QueueEntry, Viewer } from '@/lib/api/models';

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
  /** The holder's unsaved values, as they type (never this tab's own). */
  draft: Draft | null;
  /** The free lock is held for the head of the line until the offer's deadline. */
  offer: Offer | null;
  /** The appointment was deleted while this page was open (`by`: who; null when unknown). */
  deleted: { by: PersonRef | null } | null;
}

export type LocalAction =
  /** lock-status over REST: ignored once the socket's snapshot is in. */
  | { type: 'local/seed'; lock: AppointmentLock | null }
  /** An answer to our own acquire/heartbeat, or an authoritative status after a 423. */
  | { type: 'local/lock'; lock: AppointmentLock | null }
  | { type: 'local/released'; fencingToken: number }
  | { type: 'local/releasing'; fencingToken: number }
  | { type: 'local/connection'; status: ConnectionStatus }
  /** This tab deleted the appointment (its DELETE answered 204). */
  | { type: 'local/deleted'; by: PersonRef | null };

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
  draft: null,
  offer: null,
  deleted: null,
});

function hasFields(d: Pick<Draft, 'fields'>) {
  return !!d.fields && Object.keys(d.fields).length > 0;
}

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
        draft: action.lock && action.draft && hasFields(action.draft) ? action.draft : null,
        offer: action.offer ?? null,
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
        // Someone holds it now: whatever was offered has been taken (or overtaken).
        offer: null,
        draft: changed ? null : state.draft,
      };
    }
    case 'lock.released':
    case 'lock.expired':
      return {
        ...state,
        lock: null,
        controlRequest: null,
        draft: null,
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
        draft: null,
        offer: null,
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
    case 'appointment.updated':
      // Saved: the page refetches the appointment (use-room-connection); what was typed is in it now.
      return state.draft ? { ...state, draft: null } : state;
    case 'draft':
      // Only the holder's tab sends drafts; a stray one from a lock gone since is not shown.
      if (!state.lock || state.lock.sessionId !== action.sessionId || state.lock.userId !== action.userId)
        return state.draft ? { ...state, draft: null } : state;
      return {
        ...state,
        draft: hasFields(action)
          ? { sessionId: action.sessionId, userId: action.userId, name: action.name, fields: action.fields }
          : null,
      };
    case 'lock.offered':
      return { ...state, offer: action.offer };
    case 'lock.offer_ended':
      return state.offer?.sessionId === action.offer.sessionId && state.offer.userId === action.offer.userId
        ? { ...state, offer: null }
        : state;
    case 'appointment.deleted':
      return { ...state, deleted: { by: action.by }, lock: null, draft: null, offer: null, queue: [] };
    case 'appointment.created': // the list feed's news
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
    case 'local/deleted':
      return { ...state, deleted: { by: action.by }, lock: null, draft: null, offer: null, queue: [] };
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
