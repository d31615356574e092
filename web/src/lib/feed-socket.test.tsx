import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { SERVER_NOW, alice, makeAppointment, makeLock } from '@/testing/fixtures';
import { mockApi } from '@/testing/mock-api';
import { useFeedSocket } from './feed-socket';
import { subscribeFeed, useFeedStore } from './feed-store';
import { makeQueryClient, queryKeys } from './query-client';

beforeEach(() => {
  FakeWebSocket.reset();
  vi.stubGlobal('WebSocket', FakeWebSocket);
  sessionStorage.setItem('slotlock.sessionId', 'tab-mine');
  mockApi().on('POST /api/ws-tickets', { status: 200, body: { ticket: 'tk', expiresAt: SERVER_NOW } });
});
afterEach(() => vi.unstubAllGlobals());

function setUp() {
  const client = makeQueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  return { client, ...renderHook(() => useFeedSocket(), { wrapper }) };
}

describe('useFeedSocket', () => {
  it('opens /api/updates with this tab’s sessionId and feeds the store and the listeners', async () => {
    const heard = vi.fn();
    const off = subscribeFeed(heard);
    setUp();
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    const ws = FakeWebSocket.last();
    expect(new URL(ws.url).pathname).toBe('/api/updates');
    expect(ws.params.get('sessionId')).toBe('tab-mine');
    expect(ws.params.get('ticket')).toBe('tk');
    act(() => {
      ws.open();
      ws.receive({
        seq: 1,
        type: 'snapshot',
        serverTime: SERVER_NOW,
        locks: [makeLock(alice, 's1')],
        offers: [],
      });
    });
    expect(useFeedStore.getState()).toMatchObject({ synced: true, connection: 'open' });
    expect(useFeedStore.getState().locks.a1?.userId).toBe(alice.id);
    act(() =>
      ws.receive({ seq: 2, type: 'appointment.created', appointment: makeAppointment({ id: 'a7' }) }),
    );
    expect(heard).toHaveBeenLastCalledWith(expect.objectContaining({ type: 'appointment.created' }));
    off();
  });

  it('marks cached lists stale on appointment frames (without refetching a list on screen)', async () => {
    const { client } = setUp();
    client.setQueryData(queryKeys.appointmentPages({ view: 'agenda' }), { pages: [], pageParams: [] });
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    const ws = FakeWebSocket.last();
    act(() => {
      ws.open();
      ws.receive({ seq: 1, type: 'snapshot', serverTime: SERVER_NOW, locks: [] });
    });
    const state = () => client.getQueryState(queryKeys.appointmentPages({ view: 'agenda' }));
    expect(state()?.isInvalidated).toBe(false);
    act(() => ws.receive({ seq: 2, type: 'appointment.deleted', appointmentId: 'a1', by: null }));
    await waitFor(() => expect(state()?.isInvalidated).toBe(true));
  });

  it('closes the socket and forgets locks and offers when unmounted (signed out)', async () => {
    const { unmount } = setUp();
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    const ws = FakeWebSocket.last();
    act(() => {
      ws.open();
      ws.receive({ seq: 1, type: 'snapshot', serverTime: SERVER_NOW, locks: [makeLock(alice, 's1')] });
    });
    unmount();
    expect(ws.closedWith?.code).toBe(1000);
    expect(useFeedStore.getState()).toMatchObject({
      synced: false,
      locks: {},
      offers: {},
      connection: 'idle',
    });
  });
});
