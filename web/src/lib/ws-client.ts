import { api, ApiError } from './api-client';
import type { ClientFrame, ServerFrame } from './ws-frames';

/**
 * `room-full`: the server turned the socket away because the room is full; retrying with backoff.
 * `refused`: the server will not take more sockets from this person (too many tabs); stopped.
 */
export type ConnectionStatus =
  'idle' | 'connecting' | 'open' | 'reconnecting' | 'room-full' | 'refused' | 'closed';

/** Close codes the server uses (PRODUCT.md §2 "Limits at the edge"). */
export const closeCodes = {
  /** Signed out or disabled: the session is over. */
  sessionEnded: 4001,
  /** Over the per-user socket limit (8 per room, 32 in all). */
  tooManySockets: 4008,
  /** The room is full (`ROOM_FULL`); standard "try again later". */
  tryAgainLater: 1013,
} as const;

/** Why the client stopped for good: reconnecting cannot help. */
export type HaltReason = 'session-ended' | 'too-many-sockets';

export type CloseVerdict =
  { next: 'reconnect' } | { next: 'back-off'; why: 'room-full' } | { next: 'halt'; why: HaltReason };

/**
 * What to do once the server closed a socket: by its close code, or by the `error` frame
 * sent just before it when the close code did not make it (a dropped connection is 1006).
 */
export function closeVerdict(code: number, lastError: string | null): CloseVerdict {
  if (code === closeCodes.sessionEnded || lastError === 'SESSION_ENDED')
    return { next: 'halt', why: 'session-ended' };
  if (code === closeCodes.tooManySockets || lastError === 'TOO_MANY_SOCKETS')
    return { next: 'halt', why: 'too-many-sockets' };
  if (code === closeCodes.tryAgainLater || lastError === 'ROOM_FULL')
    return { next: 'back-off', why: 'room-full' };
  return { next: 'reconnect' };
}

/** Error codes that announce the close that follows: they are not a gap in `seq`. */
const closingErrors = new Set(['SESSION_ENDED', 'TOO_MANY_SOCKETS', 'ROOM_FULL']);

/** The part of the browser's WebSocket this client uses; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface WsClientOptions {
  /** e.g. `/api/appointments/42/updates` or `/api/updates` */
  path: string;
  sessionId: string;
  /** A fresh single-use ticket for every connect. */
  getTicket: () => Promise<string>;
  onFrame: (frame: ServerFrame) => void;
  onStatus?: (status: ConnectionStatus) => void;
  /** Called when frames were missed and the client reconnects for a fresh snapshot. */
  onResync?: () => void;
  /** Called once when the client stops for good because of the server (see `closeVerdict`). */
  onHalt?: (why: HaltReason) => void;
  createSocket?: SocketFactory;
  baseUrl?: string;
  backoff?: { initialMs: number; maxMs: number; factor: number };
  /** Waits before reconnecting after a `seq` gap (jittered, growing while gaps keep coming). */
  resyncBackoff?: { initialMs: number; maxMs: number; factor: number };
  pingIntervalMs?: number;
  random?: () => number;
}

const OPEN = 1;

export const defaultBackoff = { initialMs: 500, maxMs: 15_000, factor: 2 };

/** A full room is not a blip: the first retry waits initialMs × factor^2 (2 s by default). */
const ROOM_FULL_MIN_ATTEMPT = 2;

/**
 * A `seq` gap means frames were lost; the fresh snapshot fixes that. Resyncs that keep coming
 * (a server or proxy dropping frames) back off too, so a sick room is not hammered; a streak
 * ends after a quiet minute.
 */
export const resyncBackoff = { initialMs: 250, maxMs: 15_000, factor: 2 };
const RESYNC_STREAK_RESET_MS = 60_000;

export function backoffDelay(attempt: number, b = defaultBackoff, random = Math.random) {
  const base = Math.min(b.maxMs, b.initialMs * b.factor ** attempt);
  // Jitter keeps a room of tabs from reconnecting in lockstep after a server restart.
  return Math.round(base * (0.75 + 0.25 * random()));
}

function defaultBase() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}

/**
 * One WebSocket with reconnect (exponential backoff, a fresh ticket each time),
 * `seq` gap detection (reconnect for a fresh snapshot) and keep-alive pings.
 * Status is `open` only once the snapshot has arrived, i.e. the state is in sync.
 */
export class WsClient {
  private socket: SocketLike | null = null;
  private generation = 0;
  private expectedSeq = 1;
  private lastError: string | null = null;
  private attempt = 0;
  private resyncStreak = 0;
  private lastResyncAt = -Infinity;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private listeners = new Set<(frame: ServerFrame) => void>();
  private currentStatus: ConnectionStatus = 'idle';
  private readonly opts: WsClientOptions;

  constructor(opts: WsClientOptions) {
    this.opts = opts;
  }

  get status() {
    return this.currentStatus;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    if (typeof window !== 'undefined') window.addEventListener('online', this.retryNow);
    void this.connect();
  }

  stop() {
    this.halt('closed');
  }

  private halt(status: ConnectionStatus) {
    this.stopped = true;
    this.generation++;
    if (typeof window !== 'undefined') window.removeEventListener('online', this.retryNow);
    this.clearTimers();
    this.detach(1000, 'done');
    this.setStatus(status);
  }

  /** Sends when connected; false when the frame could not be sent. */
  send(frame: ClientFrame): boolean {
    if (!this.socket || this.socket.readyState !== OPEN || this.currentStatus !== 'open') return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Extra frame listeners (e.g. live cursors) next to `onFrame`. */
  subscribe(listener: (frame: ServerFrame) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Skip the backoff wait (the browser came back online). */
  retryNow = () => {
    if (this.stopped || this.currentStatus !== 'reconnecting' || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    void this.connect();
  };

  private setStatus(s: ConnectionStatus) {
    if (s === this.currentStatus) return;
    this.currentStatus = s;
    this.opts.onStatus?.(s);
  }

  private clearTimers() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = null;
    this.pingTimer = null;
  }

  private detach(code: number, reason: string) {
    const s = this.socket;
    this.socket = null;
    if (!s) return;
    s.onopen = s.onmessage = s.onclose = s.onerror = null;
    try {
      s.close(code, reason);
    } catch {
      // already closed
    }
  }

  private async connect() {
    const gen = ++this.generation;
    // A full room stays "full" while it is retried: no flicker to "reconnecting" and back.
    if (this.currentStatus !== 'room-full')
      this.setStatus(
        this.attempt === 0 && this.currentStatus !== 'reconnecting' ? 'connecting' : 'reconnecting',
      );
    let ticket: string;
    try {
      ticket = await this.opts.getTicket();
    } catch (e) {
      if (gen !== this.generation || this.stopped) return;
      if (e instanceof ApiError && e.status === 401) {
        this.stop(); // signed out: the app goes back to sign-in
        return;
      }
      this.scheduleReconnect();
      return;
    }
    if (gen !== this.generation || this.stopped) return;

    const base = this.opts.baseUrl ?? defaultBase();
    const url =
      `${base}${this.opts.path}?ticket=${encodeURIComponent(ticket)}` +
      `&sessionId=${encodeURIComponent(this.opts.sessionId)}`;
    const create = this.opts.createSocket ?? ((u: string) => new WebSocket(u) as unknown as SocketLike);
    const socket = create(url);
    this.socket = socket;
    this.expectedSeq = 1;
    this.lastError = null;

    socket.onopen = () => {
      if (gen !== this.generation) return;
      this.startPing();
    };
    socket.onmessage = (ev) => {
      if (gen !== this.generation) return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(ev.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'error' && closingErrors.has(frame.code)) {
        // The close follows; reconnecting at once for a "missed" frame would make a tight loop.
        this.lastError = frame.code;
        if (frame.seq !== this.expectedSeq) return;
      } else if (frame.seq !== this.expectedSeq) {
        this.resync();
        return;
      }
      this.expectedSeq++;
      if (frame.type === 'snapshot') {
        this.attempt = 0;
        this.setStatus('open');
      }
      this.opts.onFrame(frame);
      for (const l of this.listeners) l(frame);
    };
    socket.onclose = (ev) => {
      if (gen !== this.generation) return;
      this.socket = null;
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      if (this.stopped) return;
      const verdict = closeVerdict(ev.code, this.lastError);
      if (verdict.next === 'halt') {
        this.halt(verdict.why === 'too-many-sockets' ? 'refused' : 'closed');
        this.opts.onHalt?.(verdict.why);
      } else if (verdict.next === 'back-off') {
        this.attempt = Math.max(this.attempt, ROOM_FULL_MIN_ATTEMPT);
        this.scheduleReconnect('room-full');
      } else {
        this.scheduleReconnect();
      }
    };
    socket.onerror = () => {
      // a close event follows
    };
  }

  private resync() {
    this.generation++;
    this.clearTimers();
    this.detach(4000, 'resync');
    this.setStatus('reconnecting');
    this.opts.onResync?.();
    const now = Date.now();
    if (now - this.lastResyncAt > RESYNC_STREAK_RESET_MS) this.resyncStreak = 0;
    this.lastResyncAt = now;
    const delay = backoffDelay(
      this.resyncStreak++,
      this.opts.resyncBackoff ?? resyncBackoff,
      this.opts.random,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  private scheduleReconnect(status: ConnectionStatus = 'reconnecting') {
    this.setStatus(status);
    const delay = backoffDelay(this.attempt, this.opts.backoff ?? defaultBackoff, this.opts.random);
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  private startPing() {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify({ type: 'ping' }));
    }, this.opts.pingIntervalMs ?? 20_000);
  }
}

/** The server's ticket endpoint, shared by every socket. */
export async function fetchWsTicket(): Promise<string> {
  const res = await api<{ ticket: string; expiresAt: string }>('/ws-tickets', { method: 'POST' });
  return res.ticket;
}
