import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { ApiError } from './api-client';
import { WsClient, backoffDelay, closeVerdict, type ConnectionStatus, type HaltReason } from './ws-client';
import type { ServerFrame } from './ws-frames';

const snapshot = (seq = 1) => ({
  seq,
  type: 'snapshot',
  serverTime: '2026-11-28T10:00:00.000Z',
  lock: null,
  appointment: { id: 'a1', version: 1 },
  presence: [],
  cursors: [],
  queue: [],
});

function setUp(getTicket?: () => Promise<string>) {
  let n = 0;
  const frames: ServerFrame[] = [];
  const statuses: ConnectionStatus[] = [];
  const onResync = vi.fn();
  const onHalt = vi.fn<(why: HaltReason) => void>();
  const ticket = vi.fn(getTicket ?? (async () => `t${++n}`));
  const client = new WsClient({
    path: '/api/appointments/a1/updates',
    sessionId: 'tab-1',
    baseUrl: 'ws://test',
    getTicket: ticket,
    onFrame: (f) => frames.push(f),
    onStatus: (s) => statuses.push(s),
    onResync,
    onHalt,
    createSocket: (url) => new FakeWebSocket(url),
    backoff: { initialMs: 100, maxMs: 1_000, factor: 2 },
    pingIntervalMs: 20_000,
    random: () => 1,
  });
  return { client, frames, statuses, ticket, onResync, onHalt };
}

describe('WsClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => vi.useRealTimers());

  it('connects with a ticket and the tab session, and is open once the snapshot arrives', async () => {
    const { client, frames, statuses } = setUp();
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeWebSocket.last();
    expect(ws.url.startsWith('ws://test/api/appointments/a1/updates?')).toBe(true);
    expect(ws.params.get('ticket')).toBe('t1');
    expect(ws.params.get('sessionId')).toBe('tab-1');
    ws.open();
    expect(statuses.at(-1)).toBe('connecting');
    ws.receive(snapshot());
    expect(statuses.at(-1)).toBe('open');
    expect(frames.map((f) => f.type)).toEqual(['snapshot']);
    client.stop();
  });

  it('reconnects with backoff and a fresh ticket every time', async () => {
    const { client, ticket, statuses } = setUp();
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    FakeWebSocket.last().open();
    FakeWebSocket.last().drop();
    expect(statuses.at(-1)).toBe('reconnecting');

    await vi.advanceTimersByTimeAsync(99);
    expect(FakeWebSocket.instances).toHaveLength(1); // still waiting: 100 ms
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.last().params.get('ticket')).toBe('t2');

    FakeWebSocket.last().drop(); // second failure: 200 ms
    await vi.advanceTimersByTimeAsync(199);
    expect(FakeWebSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances).toHaveLength(3);
    expect(FakeWebSocket.last().params.get('ticket')).toBe('t3');
    expect(ticket).toHaveBeenCalledTimes(3);

    // a snapshot resets the backoff
    FakeWebSocket.last().open();
    FakeWebSocket.last().receive(snapshot());
    FakeWebSocket.last().drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeWebSocket.instances).toHaveLength(4);
    client.stop();
  });

  it('caps the backoff', () => {
    const b = { initialMs: 100, maxMs: 1_000, factor: 2 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, b, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('retries when the ticket cannot be had, and gives up on 401', async () => {
    let calls = 0;
    const { client, statuses } = setUp(async () => {
      calls++;
      if (calls === 1) throw new TypeError('network down');
      throw new ApiError(401, { code: 'UNAUTHENTICATED', message: 'sign in' });
    });
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toBe(2);
    expect(statuses.at(-1)).toBe('closed');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(2);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('a seq gap closes the socket and resyncs from a fresh snapshot on a new socket', async () => {
    const { client, frames, onResync } = setUp();
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    const first = FakeWebSocket.last();
    first.open();
    first.receive(snapshot(1));
    first.receive({ seq: 2, type: 'presence', presence: [] });
    first.receive({ seq: 4, type: 'lock.queue', queue: [] }); // 3 went missing
    expect(first.closedWith).not.toBeNull();
    expect(onResync).toHaveBeenCalledOnce();
    expect(frames.map((f) => f.seq)).toEqual([1, 2]); // the frame after the gap is not applied

    // Not at once: a short, jittered wait (250 ms with random() = 1).
    await vi.advanceTimersByTimeAsync(249);
    expect(FakeWebSocket.last()).toBe(first);
    await vi.advanceTimersByTimeAsync(1);
    const second = FakeWebSocket.last();
    expect(second).not.toBe(first);
    expect(second.params.get('ticket')).toBe('t2');
    second.open();
    second.receive(snapshot(1));
    expect(frames.at(-1)!.type).toBe('snapshot');
    // late frames of the old socket are ignored
    first.receive({ seq: 5, type: 'presence', presence: [] });
    expect(frames).toHaveLength(3);
    client.stop();
  });

  it('pings every 20 s and sends frames only while open', async () => {
    const { client } = setUp();
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeWebSocket.last();
    expect(client.send({ type: 'activity' })).toBe(false);
    ws.open();
    ws.receive(snapshot());
    expect(client.send({ type: 'activity' })).toBe(true);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(ws.sent.map((s) => JSON.parse(s).type)).toEqual(['activity', 'ping']);
    client.stop();
  });

  it('stop() closes the socket and never reconnects', async () => {
    const { client, statuses } = setUp();
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeWebSocket.last();
    ws.open();
    client.stop();
    expect(ws.closedWith?.code).toBe(1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(statuses.at(-1)).toBe('closed');
  });
});

describe('WsClient: what a close by the server means', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => vi.useRealTimers());

  const error = (seq: number, code: string) => ({ seq, type: 'error', code, message: code });

  async function connected(setup = setUp()) {
    setup.client.start();
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeWebSocket.last();
    ws.open();
    return { ...setup, ws };
  }

  it('decides by close code, else by the error frame before it', () => {
    expect(closeVerdict(4001, null)).toEqual({ next: 'halt', why: 'session-ended' });
    expect(closeVerdict(1006, 'SESSION_ENDED')).toEqual({ next: 'halt', why: 'session-ended' });
    expect(closeVerdict(4008, null)).toEqual({ next: 'halt', why: 'too-many-sockets' });
    expect(closeVerdict(1006, 'TOO_MANY_SOCKETS')).toEqual({ next: 'halt', why: 'too-many-sockets' });
    expect(closeVerdict(1013, null)).toEqual({ next: 'back-off', why: 'room-full' });
    expect(closeVerdict(1006, 'ROOM_FULL')).toEqual({ next: 'back-off', why: 'room-full' });
    for (const code of [1000, 1001, 1006, 1008, 1011, 4000])
      expect(closeVerdict(code, null)).toEqual({ next: 'reconnect' });
    // an earlier complaint about a bad frame does not stop the client
    expect(closeVerdict(1006, 'BAD_MESSAGE')).toEqual({ next: 'reconnect' });
  });

  it('4001 SESSION_ENDED: never reconnects, asks for no ticket, and says the session ended, once', async () => {
    const { client, ws, statuses, ticket, onHalt } = await connected();
    ws.receive(snapshot());
    ws.receive(error(2, 'SESSION_ENDED'));
    ws.drop(4001, 'SESSION_ENDED');
    expect(onHalt).toHaveBeenCalledExactlyOnceWith('session-ended');
    expect(statuses.at(-1)).toBe('closed');
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(ticket).toHaveBeenCalledTimes(1);
    expect(client.send({ type: 'activity' })).toBe(false);
    client.stop(); // the page unmounting afterwards changes nothing
    expect(onHalt).toHaveBeenCalledOnce();
  });

  it('SESSION_ENDED followed by a lost connection (no close code) is the same ending', async () => {
    const { ws, onHalt } = await connected();
    ws.receive(snapshot());
    ws.receive(error(2, 'SESSION_ENDED'));
    ws.drop(1006);
    expect(onHalt).toHaveBeenCalledExactlyOnceWith('session-ended');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('4008 TOO_MANY_SOCKETS: stops (no loop of reconnects), status refused, tells the page once', async () => {
    const { ws, statuses, ticket, onHalt } = await connected();
    ws.receive(error(1, 'TOO_MANY_SOCKETS')); // refused before any snapshot
    ws.drop(4008, 'TOO_MANY_SOCKETS');
    expect(onHalt).toHaveBeenCalledExactlyOnceWith('too-many-sockets');
    expect(statuses.at(-1)).toBe('refused');
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(ticket).toHaveBeenCalledTimes(1);
  });

  it('an error frame announcing the close is not a seq gap: no instant reconnect before the close', async () => {
    const { ws, onResync, onHalt } = await connected();
    ws.receive(snapshot(1));
    ws.receive(error(7, 'TOO_MANY_SOCKETS'));
    expect(onResync).not.toHaveBeenCalled();
    expect(ws.closedWith).toBeNull();
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeWebSocket.instances).toHaveLength(1);
    ws.drop(4008);
    expect(onHalt).toHaveBeenCalledWith('too-many-sockets');
    // any other gap still resyncs
    const other = await connected();
    other.ws.receive(snapshot(1));
    other.ws.receive(error(5, 'BAD_MESSAGE'));
    expect(other.onResync).toHaveBeenCalledOnce();
    other.client.stop();
  });

  it('resyncs that keep coming back off further, bounded, with jitter; a quiet minute resets it', async () => {
    const { client } = setUp();
    const gapAfterSnapshot = async () => {
      const ws = FakeWebSocket.last();
      ws.open();
      ws.receive(snapshot(1));
      ws.receive({ seq: 3, type: 'presence', presence: [] });
      return ws;
    };
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const ws = await gapAfterSnapshot();
      let waited = 0;
      while (FakeWebSocket.last() === ws) {
        await vi.advanceTimersByTimeAsync(50);
        waited += 50;
      }
      waits.push(waited);
    }
    expect(waits.slice(0, 4)).toEqual([250, 500, 1000, 2000]);
    expect(Math.max(...waits)).toBe(15_000); // capped
    // After a minute without a gap the next one waits the short time again.
    await gapAfterSnapshot().then(() => vi.advanceTimersByTimeAsync(15_000));
    FakeWebSocket.last().open();
    FakeWebSocket.last().receive(snapshot(1));
    await vi.advanceTimersByTimeAsync(61_000);
    const ws = await gapAfterSnapshot();
    await vi.advanceTimersByTimeAsync(250);
    expect(FakeWebSocket.last()).not.toBe(ws);
    client.stop();
  });

  it('a resync wait has jitter: tabs that lost the same frame do not all come back at once', () => {
    const d = (r: number) => backoffDelay(0, { initialMs: 250, maxMs: 15_000, factor: 2 }, () => r);
    expect(d(0)).toBe(188);
    expect(d(1)).toBe(250);
  });

  it('1013 ROOM_FULL: backs off (at least 4× the first delay), says the room is full, and recovers', async () => {
    const { client, ws, statuses, onHalt } = await connected();
    ws.receive(error(1, 'ROOM_FULL'));
    ws.drop(1013, 'room full');
    expect(statuses.at(-1)).toBe('room-full');
    expect(onHalt).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(399); // backoff 100 ms × 2² with these settings
    expect(FakeWebSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(statuses.at(-1)).toBe('room-full'); // still full while it tries: no flicker

    FakeWebSocket.last().open();
    FakeWebSocket.last().drop(1013);
    await vi.advanceTimersByTimeAsync(799); // and longer the next time
    expect(FakeWebSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances).toHaveLength(3);

    FakeWebSocket.last().open();
    FakeWebSocket.last().receive(snapshot());
    expect(statuses.at(-1)).toBe('open');
    expect(statuses).not.toContain('closed');
    client.stop();
  });
});
