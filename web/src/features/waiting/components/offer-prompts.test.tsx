import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { toast } from 'sonner';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatchFeedFrame, initialFeedState, useFeedStore } from '@/lib/feed-store';
import { useServerClock } from '@/lib/server-clock';
import type { Offer } from '@/lib/api/models';
import { SERVER_NOW, alice, bob, makeAppointment, makeLock } from '@/testing/fixtures';
import { apiError, mockApi } from '@/testing/mock-api';
import { renderWithApp } from '@/testing/render';
import { YOUR_TURN } from '../hooks/use-title-flag';
import { OfferPrompts } from './offer-prompts';

const MY_TAB = 's-bob-tab';
const offer = (over: Partial<Offer> = {}): Offer => ({
  appointmentId: 'a1',
  userId: bob.id,
  name: bob.name,
  email: bob.email,
  sessionId: MY_TAB,
  deadline: '2026-11-28T10:01:00.000Z',
  ...over,
});

function setUp() {
  const api = mockApi()
    .on('GET /api/appointments/a1', { status: 200, body: makeAppointment() })
    .on('POST /api/appointments/a1/acquire-lock', {
      status: 200,
      body: { lock: makeLock(bob, MY_TAB, { fencingToken: 8 }), serverTime: SERVER_NOW },
    })
    .on('DELETE /api/appointments/a1/queue', { status: 200, body: { left: true } });
  document.title = 'Appointments · slotlock';
  renderWithApp(
    <>
      <OfferPrompts me={bob} />
      <Routes>
        <Route path="/" element={<h1>The list</h1>} />
        <Route path="/appointments/:id" element={<h1>The appointment page</h1>} />
      </Routes>
    </>,
  );
  return api;
}

const offered = (o: Offer) => act(() => dispatchFeedFrame({ seq: 2, type: 'lock.offered', offer: o }));

beforeEach(() => {
  sessionStorage.setItem('slotlock.sessionId', MY_TAB);
  useFeedStore.setState(initialFeedState);
  vi.useFakeTimers({ shouldAdvanceTime: true });
  vi.setSystemTime(new Date(SERVER_NOW));
  useServerClock.setState({ offsetMs: 0 });
});
afterEach(() => {
  toast.dismiss();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('an offer of a freed lock', () => {
  it("a toast with the appointment's title and a live countdown; the tab title says it's my turn", async () => {
    setUp();
    expect(screen.queryByTestId('offer-toast')).toBeNull();
    offered(offer());
    const card = await screen.findByTestId('offer-toast');
    expect(
      await within(card).findByRole('heading', { name: /^Your turn to edit\W+Dental check-up\W*$/ }),
    ).toBeVisible();
    const timer = within(card).getByRole('timer');
    expect(timer).toHaveTextContent('1:00');
    act(() => void vi.advanceTimersByTime(5_000));
    expect(timer).toHaveTextContent('0:55');
    expect(document.title).toBe(`${YOUR_TURN}Appointments · slotlock`);
    // a page setting its own title keeps the flag
    act(() => void (document.title = 'Another page · slotlock'));
    await waitFor(() => expect(document.title).toBe(`${YOUR_TURN}Another page · slotlock`));
    await waitFor(() =>
      expect(screen.getByTestId('offer-announcer')).toHaveTextContent(
        "It's your turn to edit Dental check-up.",
      ),
    );
  });

  it("someone else's offer shows nothing", async () => {
    setUp();
    offered(offer({ userId: alice.id, name: alice.name }));
    await act(async () => {});
    expect(screen.queryByTestId('offer-toast')).toBeNull();
    expect(document.title).toBe('Appointments · slotlock');
  });

  it('Edit now takes the lock for this tab and opens the appointment; the flag goes', async () => {
    const api = setUp();
    offered(offer());
    const card = await screen.findByTestId('offer-toast');
    await userEvent.click(within(card).getByRole('button', { name: 'Edit now' }));
    await screen.findByRole('heading', { name: 'The appointment page' });
    expect(api.callsTo('POST /api/appointments/a1/acquire-lock')[0]!.body).toEqual({ sessionId: MY_TAB });
    await waitFor(() => expect(screen.queryByTestId('offer-toast')).toBeNull());
    expect(document.title).toBe('Appointments · slotlock');
  });

  it('Pass leaves the line for the tab that waited (the next person is asked)', async () => {
    const api = setUp();
    offered(offer({ sessionId: 's-other-tab-of-bob' }));
    const card = await screen.findByTestId('offer-toast');
    await userEvent.click(within(card).getByRole('button', { name: 'Pass' }));
    await waitFor(() => expect(screen.queryByTestId('offer-toast')).toBeNull());
    expect(api.callsTo('DELETE /api/appointments/a1/queue')[0]!.path).toBe(
      '/api/appointments/a1/queue?sessionId=s-other-tab-of-bob',
    );
    expect(await screen.findByText(/You passed; the next person in line is asked/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'The list' })).toBeInTheDocument();
  });

  it('an offer that ends (ran out, or taken elsewhere) removes the toast and says when it ran out', async () => {
    setUp();
    offered(offer());
    await screen.findByTestId('offer-toast');
    act(() => dispatchFeedFrame({ seq: 3, type: 'lock.offer_ended', offer: offer(), reason: 'expired' }));
    await waitFor(() => expect(screen.queryByTestId('offer-toast')).toBeNull());
    expect(
      await screen.findByText('Your turn ran out; the next person in line is asked.'),
    ).toBeInTheDocument();
    expect(document.title).toBe('Appointments · slotlock');
  });

  it('too late: Edit now refused with LOCK_OFFERED says so plainly', async () => {
    const api = setUp();
    api.on(
      'POST /api/appointments/a1/acquire-lock',
      apiError(409, 'LOCK_OFFERED', 'The lock is offered to someone else.'),
    );
    offered(offer());
    const card = await screen.findByTestId('offer-toast');
    await userEvent.click(within(card).getByRole('button', { name: 'Edit now' }));
    expect(await screen.findByText('Too late: the lock went to the next person.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'The list' })).toBeInTheDocument();
  });

  it('a browser notification only where the person allowed them, from the tab that waited', async () => {
    const shown: { title: string; options: NotificationOptions }[] = [];
    class FakeNotification {
      static permission: NotificationPermission = 'granted';
      onclick: (() => void) | null = null;
      constructor(title: string, options: NotificationOptions) {
        shown.push({ title, options });
      }
    }
    vi.stubGlobal('Notification', FakeNotification);
    setUp();
    offered(offer());
    await screen.findByTestId('offer-toast');
    await waitFor(() => expect(shown).toHaveLength(1));
    expect(shown[0]!.title).toBe('Your turn to edit');
    expect(shown[0]!.options.body).toContain('Dental check-up');

    FakeNotification.permission = 'denied';
    offered(offer({ appointmentId: 'a2', deadline: '2026-11-28T10:01:30.000Z' }));
    await waitFor(() => expect(screen.getAllByTestId('offer-toast')).toHaveLength(2));
    expect(shown).toHaveLength(1);
  });
});
