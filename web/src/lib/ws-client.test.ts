import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { ApiError } from './api-client';
import { WsClient, backoffDelay, type ConnectionStatus } from './ws-client';
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
  const ticket = vi.fn(getTicket ?? (async () => `t${++n}`));
  const client = new WsClient({
    path: '/api/appointments/a1/updates',
    sessionId: 'tab-1',
    baseUrl: 'ws://test',
    getTicket: ticket,
    onFrame: (f) => frames.push(f),
    onStatus: (s) => statuses.push(s),
    onResync,
    createSocket: (url) => new FakeWebSocket(url),
    backoff: { initialMs: 100, maxMs: 1_000, factor: 2 },
    pingIntervalMs: 20_000,
    random: () => 1,
  });
  return { client, frames, statuses, ticket, onResync };
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

    await vi.advanceTimersByTimeAsync(0);
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
