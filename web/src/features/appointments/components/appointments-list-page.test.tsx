import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatchFeedFrame, useFeedStore } from '@/lib/feed-store';
import type { AppointmentListItem } from '@/lib/api/models';
import { SERVER_NOW, alice, bob, makeAppointment, makeLock } from '@/testing/fixtures';
import { mockApi, type MockCall } from '@/testing/mock-api';
import { renderWithApp } from '@/testing/render';
import { AppointmentsListPage } from './appointments-list-page';
import { SEARCH_DEBOUNCE_MS } from './list-toolbar';

// Every render of a row renders its status badge: counting those counts row renders.
const badgeRenders = vi.hoisted(() => ({ count: 0 }));
vi.mock('./status-badge', () => ({
  StatusBadge: ({ status }: { status: string }) => {
    badgeRenders.count++;
    return <span>{status}</span>;
  },
}));

const NOW = '2026-11-28T10:00:00.000Z'; // a Saturday; 11:00 in Berlin
const item = (
  id: string,
  startsAt: string,
  over: Partial<AppointmentListItem> = {},
): AppointmentListItem => ({
  ...makeAppointment({
    id,
    title: `Visit ${id}`,
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + 1_800_000).toISOString(),
  }),
  lock: null,
  ...over,
});

/** As `appointment.created` carries it: no `notes`, `lock: null`. */
function created(id: string, startsAt: string, over: Partial<AppointmentListItem> = {}) {
  const { notes: _notes, ...a } = item(id, startsAt, over);
  return { ...a, lock: null };
}

function LocationProbe() {
  const l = useLocation();
  return <output data-testid="location">{l.search}</output>;
}
const urlSearch = () => new URLSearchParams(screen.getByTestId('location').textContent ?? '');
const paramsOf = (c: MockCall) => new URL(c.path, 'http://x').searchParams;

function server(
  pages: Record<string, { items: AppointmentListItem[]; nextCursor: string | null }>,
  tz = 'Europe/Berlin',
) {
  return mockApi()
    .on('GET /api/config', { status: 200, body: { timeZone: tz, demo: false } })
    .on('GET /api/appointments', (call) => {
      const cursor = paramsOf(call).get('cursor') ?? '';
      return { status: 200, body: pages[cursor] ?? { items: [], nextCursor: null } };
    });
}

function show(path = '/') {
  return renderWithApp(
    <>
      <AppointmentsListPage />
      <LocationProbe />
    </>,
    { path },
  );
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(NOW));
  badgeRenders.count = 0;
});
afterEach(() => {
  vi.useRealTimers();
  useFeedStore.getState().reset();
});

describe('AppointmentsListPage', () => {
  it('opens on the agenda from the start of today in the clinic zone, and says the zone once', async () => {
    const m = server({ '': { items: [item('a1', '2026-11-28T09:00:00.000Z')], nextCursor: null } });
    show();
    await screen.findByRole('link', { name: 'Visit a1' });
    const [call] = m.callsTo('GET /api/appointments');
    expect(Object.fromEntries(paramsOf(call!))).toEqual({ from: '2026-11-27T23:00:00.000Z', limit: '50' });
    expect(screen.getAllByText(/Times in Europe\/Berlin/)).toHaveLength(1);
    expect(screen.getByRole('row', { name: /Visit a1/ })).toHaveTextContent(/10:00.*–.*10:30/); // 09:00Z in Berlin
    expect(screen.getByRole('columnheader', { name: /Saturday.*November 28/ })).toBeInTheDocument();
    expect(document.title).toBe('Appointments · slotlock');
    expect(screen.getByRole('link', { name: 'New appointment' })).toHaveAttribute(
      'href',
      '/appointments/new',
    );
  });

  it('a lock frame re-renders only the row it is about', async () => {
    const items = ['a1', 'a2', 'a3'].map((id, i) => item(id, `2026-11-28T1${i}:00:00.000Z`));
    server({ '': { items, nextCursor: null } });
    show();
    await screen.findByRole('link', { name: 'Visit a3' });
    act(() => dispatchFeedFrame({ seq: 1, type: 'snapshot', serverTime: SERVER_NOW, locks: [] }));

    badgeRenders.count = 0;
    act(() =>
      dispatchFeedFrame({
        seq: 2,
        type: 'lock.acquired',
        lock: makeLock(alice, 's1', { appointmentId: 'a2', acquiredAt: '2026-11-28T09:58:00.000Z' }),
      }),
    );
    expect(screen.getByText(/Alice Martin is editing · since/)).toHaveTextContent('10:58'); // Berlin
    expect(badgeRenders.count).toBe(1);

    badgeRenders.count = 0;
    act(() =>
      dispatchFeedFrame({
        seq: 3,
        type: 'lock.acquired',
        lock: makeLock(bob, 's2', { appointmentId: 'elsewhere' }),
      }),
    );
    expect(badgeRenders.count).toBe(0);
  });

  it('live: a created appointment appears where it belongs if it fits the view, a deleted one goes', async () => {
    server({
      '': {
        items: [item('a1', '2026-11-28T09:00:00.000Z'), item('a3', '2026-11-28T13:00:00.000Z')],
        nextCursor: null,
      },
    });
    show('/?status=scheduled');
    await screen.findByRole('link', { name: 'Visit a3' });
    // TanStack Query tells its observers on the next tick.
    const titles = (want: string[]) =>
      waitFor(() =>
        expect(screen.getAllByRole('link', { name: /^Visit/ }).map((l) => l.textContent)).toEqual(want),
      );

    act(() =>
      dispatchFeedFrame({
        seq: 2,
        type: 'appointment.created',
        appointment: created('a2', '2026-11-28T11:00:00.000Z'),
      }),
    );
    await titles(['Visit a1', 'Visit a2', 'Visit a3']);
    // Not in the filter (cancelled) or before today: not shown (the deletion after them is).
    act(() =>
      dispatchFeedFrame({
        seq: 3,
        type: 'appointment.created',
        appointment: created('x1', '2026-11-28T12:00:00.000Z', { status: 'cancelled' }),
      }),
    );
    act(() =>
      dispatchFeedFrame({
        seq: 4,
        type: 'appointment.created',
        appointment: created('x2', '2026-11-27T12:00:00.000Z'),
      }),
    );
    act(() => dispatchFeedFrame({ seq: 5, type: 'appointment.deleted', appointmentId: 'a1', by: null }));
    await titles(['Visit a2', 'Visit a3']);
  });

  it('live, while searching: a created appointment only its notes could match is fetched whole to decide', async () => {
    const m = server({ '': { items: [item('a1', '2026-11-28T09:00:00.000Z')], nextCursor: null } });
    m.on('GET /api/appointments/n1', {
      status: 200,
      body: { ...item('n1', '2026-11-28T12:00:00.000Z'), notes: 'Bring X-rays' },
    });
    show('/?q=x-ray');
    await screen.findByRole('link', { name: 'Visit a1' });
    // Its title matches "visit" but not "x-ray": only the notes could tell.
    act(() =>
      dispatchFeedFrame({
        seq: 2,
        type: 'appointment.created',
        appointment: created('n1', '2026-11-28T12:00:00.000Z'),
      }),
    );
    await screen.findByRole('link', { name: 'Visit n1' });
    expect(m.callsTo('GET /api/appointments/n1')).toHaveLength(1);
  });

  it('live: a saved appointment is fetched again and moves to its new time', async () => {
    const m = server({
      '': {
        items: [item('a1', '2026-11-28T09:00:00.000Z'), item('a2', '2026-11-28T11:00:00.000Z')],
        nextCursor: null,
      },
    });
    m.on('GET /api/appointments/a1', {
      status: 200,
      body: { ...item('a1', '2026-11-28T12:00:00.000Z', { title: 'Moved' }), version: 4 },
    });
    show();
    await screen.findByRole('link', { name: 'Visit a2' });
    act(() =>
      dispatchFeedFrame({
        seq: 2,
        type: 'appointment.updated',
        appointment: { id: 'a1', version: 4, updatedBy: { id: bob.id, name: bob.name, email: bob.email } },
      }),
    );
    await waitFor(() =>
      expect(screen.getAllByRole('link', { name: /^Visit|Moved/ }).map((l) => l.textContent)).toEqual([
        'Visit a2',
        'Moved',
      ]),
    );
  });

  it('a reconnect (a second snapshot) fetches the view again: frames may have been missed', async () => {
    const m = server({ '': { items: [item('a1', '2026-11-28T09:00:00.000Z')], nextCursor: null } });
    show();
    await screen.findByRole('link', { name: 'Visit a1' });
    act(() => dispatchFeedFrame({ seq: 1, type: 'snapshot', serverTime: SERVER_NOW, locks: [] }));
    expect(m.callsTo('GET /api/appointments')).toHaveLength(1);
    act(() => dispatchFeedFrame({ seq: 1, type: 'snapshot', serverTime: SERVER_NOW, locks: [] }));
    await waitFor(() => expect(m.callsTo('GET /api/appointments')).toHaveLength(2));
  });

  it('pages with nextCursor: "Show more" asks for the next page with the same parameters', async () => {
    const m = server({
      '': { items: [item('a1', '2026-11-28T09:00:00.000Z')], nextCursor: 'c-2' },
      'c-2': { items: [item('a2', '2026-11-29T09:00:00.000Z')], nextCursor: null },
    });
    show('/?q=visit');
    await screen.findByRole('link', { name: 'Visit a1' });
    await userEvent.click(screen.getByRole('button', { name: 'Show more' }));
    await screen.findByRole('link', { name: 'Visit a2' });
    const second = paramsOf(m.callsTo('GET /api/appointments')[1]!);
    expect(Object.fromEntries(second)).toEqual({
      from: '2026-11-27T23:00:00.000Z',
      q: 'visit',
      limit: '50',
      cursor: 'c-2',
    });
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
  });

  it('day view: its bounds in the zone, previous and next, and the date picker, all in the URL', async () => {
    const m = server({ '': { items: [], nextCursor: null } });
    show('/?view=day&date=2026-11-30');
    await screen.findByText(/Nothing is booked on Monday, November 30, 2026/);
    expect(document.title).toBe('Monday, November 30, 2026 · Appointments · slotlock');
    expect(Object.fromEntries(paramsOf(m.callsTo('GET /api/appointments')[0]!))).toMatchObject({
      from: '2026-11-29T23:00:00.000Z',
      to: '2026-11-30T23:00:00.000Z',
    });
    await userEvent.click(screen.getByRole('link', { name: 'Next day' }));
    expect(urlSearch().get('date')).toBe('2026-12-01');
    await userEvent.click(screen.getByRole('link', { name: 'Previous day' }));
    await userEvent.click(screen.getByRole('link', { name: 'Previous day' }));
    expect(urlSearch().get('date')).toBe('2026-11-29');
    fireEvent.change(screen.getByLabelText('Day'), { target: { value: '2027-01-04' } });
    expect(urlSearch().toString()).toBe('view=day&date=2027-01-04');
    await userEvent.click(screen.getByRole('link', { name: 'Week' }));
    expect(urlSearch().toString()).toBe('view=week&date=2027-01-04');
    await waitFor(() =>
      expect(
        paramsOf(m.calls.filter((c) => c.path.startsWith('/api/appointments?')).at(-1)!).get('from'),
      ).toBe('2027-01-03T23:00:00.000Z'),
    );
  });

  it('week view lists all seven days, saying which have nothing', async () => {
    server({ '': { items: [item('a1', '2026-11-25T09:00:00.000Z')], nextCursor: null } });
    show('/?view=week');
    await screen.findByRole('link', { name: 'Visit a1' });
    expect(screen.getAllByRole('columnheader', { name: /day, November/ })).toHaveLength(7);
    expect(screen.getAllByText('No appointments.')).toHaveLength(6);
  });

  it('search goes into the URL once typing settles, with the status filter; Back-style URL changes refill the box', async () => {
    vi.useRealTimers();
    const m = server({ '': { items: [], nextCursor: null } });
    const user = userEvent.setup();
    show();
    await screen.findByText('No appointments yet.');
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'maya');
    expect(urlSearch().get('q')).toBeNull();
    await waitFor(() => expect(urlSearch().get('q')).toBe('maya'), { timeout: SEARCH_DEBOUNCE_MS * 5 });
    await user.click(screen.getByRole('checkbox', { name: 'Confirmed' }));
    await user.click(screen.getByRole('checkbox', { name: 'Cancelled' }));
    expect(urlSearch().toString()).toBe('q=maya&status=confirmed&status=cancelled');
    await screen.findByText('No appointments match your search and filters.');
    const last = paramsOf(m.calls.filter((c) => c.path.startsWith('/api/appointments?')).at(-1)!);
    expect(last.get('q')).toBe('maya');
    expect(last.getAll('status')).toEqual(['confirmed', 'cancelled']);
    await user.click(screen.getByRole('link', { name: 'Clear the search and filters' }));
    expect(urlSearch().toString()).toBe('');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('');
  });

  it('an error loading the list is said in plain words', async () => {
    mockApi()
      .on('GET /api/config', { status: 200, body: { timeZone: 'UTC', demo: false } })
      .on('GET /api/appointments', {
        status: 400,
        body: { error: { code: 'BAD_REQUEST', message: 'The parameter `q` is too long.' } },
      });
    show();
    expect(await screen.findByRole('alert')).toHaveTextContent('The parameter `q` is too long.');
    expect(within(document.body).queryByText('Loading appointments…')).toBeNull();
  });
});
