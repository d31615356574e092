import { act, renderHook, screen, waitFor, within } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeQueryClient } from '@/lib/query-client';
import { mockApi } from '@/testing/mock-api';
import { renderWithApp } from '@/testing/render';
import { CONFLICT_DEBOUNCE_MS, useConflicts, type ConflictQuery } from '../api/get-conflicts';
import { ConflictWarning } from './conflict-warning';

const conflict = {
  id: 'c1',
  title: 'Root canal',
  startsAt: '2026-11-28T09:00:00.000Z',
  endsAt: '2026-11-28T10:00:00.000Z',
  location: 'Room 1',
};

afterEach(() => vi.useRealTimers());

describe('ConflictWarning', () => {
  it('lists each overlap with its time in the clinic zone and a link, in a polite live region', async () => {
    mockApi().on('GET /api/config', { status: 200, body: { timeZone: 'Europe/Berlin', demo: false } });
    renderWithApp(<ConflictWarning conflicts={[conflict, { ...conflict, id: 'c2', title: 'Cleaning' }]} />);
    const region = screen.getByRole('status');
    expect(region).toHaveTextContent('2 other appointments in Room 1 overlap this time:');
    await waitFor(() => expect(region).toHaveTextContent(/10:00.*11:00/)); // 09:00Z–10:00Z in Berlin
    const link = within(region).getByRole('link', { name: /^Root canal\s*\(opens in a new tab\)$/ });
    expect(link).toHaveAttribute('href', '/appointments/c1');
    expect(link).toHaveAttribute('target', '_blank');
    expect(region.querySelector('[role=alert]')).toBeNull();
  });

  it('keeps an empty live region in the page when nothing overlaps', () => {
    mockApi();
    renderWithApp(<ConflictWarning conflicts={[]} />);
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });
});

function hook(initial: ConflictQuery) {
  const client = makeQueryClient();
  client.setDefaultOptions({ queries: { retry: false } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  return renderHook((q: ConflictQuery) => useConflicts(q), { wrapper, initialProps: initial });
}

describe('useConflicts', () => {
  const q: ConflictQuery = {
    startsAt: '2026-11-28T09:30:00.000Z',
    endsAt: '2026-11-28T10:30:00.000Z',
    location: ' Room 1 ',
    excludeId: 'a1',
  };

  it('asks for the opening values, then once the values have settled, with the trimmed location and the appointment left out', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const m = mockApi().on('GET /api/conflicts', { status: 200, body: { conflicts: [conflict] } });
    const { result, rerender } = hook(q);
    rerender({ ...q, endsAt: '2026-11-28T10:45:00.000Z' });
    rerender({ ...q, endsAt: '2026-11-28T11:00:00.000Z' });
    expect(result.current.checking).toBe(true);
    await act(() => vi.advanceTimersByTimeAsync(CONFLICT_DEBOUNCE_MS + 10));
    await waitFor(() => expect(result.current.conflicts).toEqual([conflict]));
    // The values it opened with, then only where the typing stopped.
    const calls = m.callsTo('GET /api/conflicts').map((c) => new URL(c.path, 'http://x').searchParams);
    expect(calls.map((p) => p.get('endsAt'))).toEqual([q.endsAt, '2026-11-28T11:00:00.000Z']);
    const params = calls[1]!;
    expect(Object.fromEntries(params)).toEqual({
      startsAt: q.startsAt,
      endsAt: '2026-11-28T11:00:00.000Z',
      location: 'Room 1',
      excludeId: 'a1',
    });
    expect(result.current.checking).toBe(false);
  });

  it('does not ask without a location, with a half-typed time, or with the end before the start', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const m = mockApi().on('GET /api/conflicts', { status: 200, body: { conflicts: [conflict] } });
    const { result, rerender } = hook({ ...q, location: '  ' });
    rerender({ ...q, startsAt: '' });
    rerender({ ...q, endsAt: q.startsAt });
    await act(() => vi.advanceTimersByTimeAsync(CONFLICT_DEBOUNCE_MS * 2));
    expect(m.callsTo('GET /api/conflicts')).toHaveLength(0);
    expect(result.current).toMatchObject({ conflicts: [], checking: false });
  });
});
