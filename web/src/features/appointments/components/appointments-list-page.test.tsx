import { act, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as format from '@/lib/format';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { SERVER_NOW, alice, bob, makeAppointment, makeLock } from '@/testing/fixtures';
import { mockApi } from '@/testing/mock-api';
import { renderWithApp } from '@/testing/render';
import { useFeedStore } from '@/lib/feed-store';
import { AppointmentsListPage } from './appointments-list-page';

vi.mock('@/lib/format', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/lib/format')>();
  return { ...real, formatDay: vi.fn(real.formatDay) };
});

beforeEach(() => {
  FakeWebSocket.reset();
  vi.stubGlobal('WebSocket', FakeWebSocket);
});
afterEach(() => vi.unstubAllGlobals());

describe('AppointmentsListPage', () => {
  it('a lock frame re-renders only the row it is about', async () => {
    const items = ['a1', 'a2', 'a3'].map((id) => ({
      ...makeAppointment({ id, title: `Visit ${id}` }),
      lock: null,
    }));
    mockApi()
      .on('GET /api/appointments', { status: 200, body: { items } })
      .on('POST /api/ws-tickets', { status: 200, body: { ticket: 'tk', expiresAt: SERVER_NOW } });
    renderWithApp(<AppointmentsListPage />);
    await screen.findByRole('link', { name: 'Visit a3' });
    const apply = useFeedStore.getState().apply;
    act(() => apply({ seq: 1, type: 'snapshot', serverTime: SERVER_NOW, locks: [] }));

    const rowRenders = vi.mocked(format.formatDay);
    rowRenders.mockClear();
    act(() => apply({ seq: 2, type: 'lock.acquired', lock: makeLock(alice, 's1', { appointmentId: 'a2' }) }));
    expect(screen.getByText(/Alice Martin is editing/)).toBeInTheDocument();
    expect(rowRenders).toHaveBeenCalledTimes(1);

    rowRenders.mockClear();
    act(() =>
      apply({ seq: 3, type: 'lock.acquired', lock: makeLock(bob, 's2', { appointmentId: 'elsewhere' }) }),
    );
    expect(rowRenders).not.toHaveBeenCalled();
  });
});
