import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { User } from '@/lib/api/models';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { SERVER_NOW, alice, bob, carol, makeAppointment, makeLock } from '@/testing/fixtures';
import { apiError } from '@/testing/mock-api';
import { useLockStore } from '../stores/lock-store';
import {
  MY_SESSION,
  editorLoaded,
  renderEditor,
  roomSnapshot,
  setUpEditorTestEnvironment,
} from '../testing/editor-page';

function controls() {
  const form = screen.getByRole('form', { name: 'Appointment' });
  return [...form.querySelectorAll('input, select, textarea')] as HTMLInputElement[];
}

setUpEditorTestEnvironment();

describe('editor states', () => {
  it('free: Edit is enabled, the form is read-only, no lock banner', async () => {
    renderEditor();
    await editorLoaded();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Edit' })).toBeEnabled());
    expect(controls().length).toBe(8);
    for (const c of controls()) expect(c).toBeDisabled();
    expect(screen.queryByText(/is editing this appointment/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });

  it("someone else's lock: Edit disabled, every control disabled, a banner with name, e-mail and m:ss", async () => {
    renderEditor({ lock: makeLock(bob, 's-bob', { expiresAt: '2026-11-28T10:04:05.000Z' }) });
    await editorLoaded();
    const status = (await screen.findByText(/is editing this appointment\. Their lock/)).closest(
      'section[aria-label="Who is editing"]',
    );
    expect(status).not.toBeNull();
    expect(status).toHaveTextContent('Bob Chen');
    expect(status).toHaveTextContent('bob@example.com');
    const seconds = () => {
      const [m, ss] = within(status as HTMLElement)
        .getByRole('timer')
        .textContent!.split(':');
      return Number(m) * 60 + Number(ss);
    };
    // 4:05 to expiry on the server's clock, give or take the test's own run time
    expect(seconds()).toBeGreaterThanOrEqual(244);
    expect(seconds()).toBeLessThanOrEqual(245);
    expect(screen.getByRole('button', { name: 'Edit' })).toBeDisabled();
    const all = controls();
    expect(all.map((c) => c.tagName).sort()).toEqual(
      ['INPUT', 'INPUT', 'INPUT', 'INPUT', 'INPUT', 'INPUT', 'SELECT', 'TEXTAREA'].sort(),
    );
    for (const c of all) expect(c).toHaveAttribute('disabled');
    expect(screen.getByRole('button', { name: 'Notify me when free' })).toBeEnabled();
    expect(screen.queryByRole('button', { name: 'Take over' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Request control' })).toBeNull();

    // the countdown is live
    const before = seconds();
    act(() => void vi.advanceTimersByTime(5_000));
    expect(before - seconds()).toBeGreaterThanOrEqual(5);
    expect(before - seconds()).toBeLessThanOrEqual(6);
  });

  it('my own lock (this tab): controls enabled, Save and Done', async () => {
    renderEditor({ lock: makeLock(alice, MY_SESSION) });
    await editorLoaded();
    await screen.findByRole('button', { name: 'Done' });
    expect(screen.getByRole('button', { name: 'Save' })).toBeInTheDocument();
    for (const c of controls()) expect(c).toBeEnabled();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.queryByText(/is editing this appointment/)).toBeNull();
  });

  it('my lock in another tab: told so, with Edit here (release, then acquire)', async () => {
    const { api } = renderEditor({ lock: makeLock(alice, 's-other-tab') });
    await editorLoaded();
    await screen.findByText(/open for editing in another tab/);
    for (const c of controls()) expect(c).toBeDisabled();
    api.on('POST /api/appointments/a1/acquire-lock', {
      status: 200,
      body: { lock: makeLock(alice, MY_SESSION, { fencingToken: 8 }), serverTime: SERVER_NOW },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Edit here' }));
    await screen.findByRole('button', { name: 'Done' });
    const order = api.calls.map((c) => `${c.method} ${c.path}`);
    expect(order.indexOf('DELETE /api/appointments/a1/release-lock')).toBeLessThan(
      order.indexOf('POST /api/appointments/a1/acquire-lock'),
    );
  });

  it('Edit shows a loading state, then the form opens', async () => {
    const { api } = renderEditor();
    await editorLoaded();
    let grant!: () => void;
    api.on(
      'POST /api/appointments/a1/acquire-lock',
      () =>
        new Promise((resolve) => {
          grant = () =>
            resolve({
              status: 200,
              body: { lock: makeLock(alice, MY_SESSION, { fencingToken: 8 }), serverTime: SERVER_NOW },
            });
        }),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const starting = await screen.findByRole('button', { name: /Starting/ });
    expect(starting).toHaveAttribute('aria-busy', 'true');
    expect(api.callsTo('POST /api/appointments/a1/acquire-lock')[0]!.body).toEqual({ sessionId: MY_SESSION });
    grant();
    await screen.findByRole('button', { name: 'Done' });
    for (const c of controls()) expect(c).toBeEnabled();
  });

  it('Edit on a lock someone just took: 409 shows who holds it', async () => {
    const { api } = renderEditor();
    await editorLoaded();
    api.on(
      'POST /api/appointments/a1/acquire-lock',
      apiError(409, 'LOCK_HELD', 'Bob Chen is editing this appointment.', { lock: makeLock(bob, 's-bob') }),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    expect(await screen.findByText(/Bob Chen is editing this appointment\./)).toBeInTheDocument();
    expect(
      screen
        .getByText(/is editing this appointment\. Their lock/)
        .closest('section[aria-label="Who is editing"]'),
    ).toHaveTextContent('bob@example.com');
  });

  it('follows the socket: a lock taken by someone else disables the form within the same frame', async () => {
    renderEditor();
    await editorLoaded();
    await waitFor(() => expect(FakeWebSocket.instances.length).toBeGreaterThan(0));
    const ws = FakeWebSocket.last();
    expect(ws.params.get('sessionId')).toBe(MY_SESSION);
    act(() => {
      ws.open();
      ws.receive(roomSnapshot(null));
    });
    expect(screen.getByRole('button', { name: 'Edit' })).toBeEnabled();
    act(() => ws.receive({ seq: 2, type: 'lock.acquired', lock: makeLock(bob, 's-bob') }));
    expect(screen.getByRole('button', { name: 'Edit' })).toBeDisabled();
    expect(
      screen
        .getByText(/is editing this appointment\. Their lock/)
        .closest('section[aria-label="Who is editing"]'),
    ).toHaveTextContent('Bob Chen');
    act(() =>
      ws.receive({
        seq: 3,
        type: 'lock.released',
        appointmentId: 'a1',
        previousHolder: { userId: bob.id, name: bob.name, email: bob.email },
        reason: 'user',
      }),
    );
    expect(screen.getByRole('button', { name: 'Edit' })).toBeEnabled();
  });
});

describe('admin controls', () => {
  it('Take over asks in an alertdialog naming the holder, then sends takeover with the confirmed token', async () => {
    const { api } = renderEditor({ me: carol as User, lock: makeLock(bob, 's-bob', { fencingToken: 11 }) });
    await editorLoaded();
    await screen.findByRole('button', { name: 'Request control' });
    api.on('POST /api/appointments/a1/acquire-lock', {
      status: 200,
      body: { lock: makeLock(carol, MY_SESSION, { fencingToken: 12 }), serverTime: SERVER_NOW },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Take over' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('Bob Chen');
    expect(dialog).toHaveTextContent('bob@example.com');
    expect(api.callsTo('POST /api/appointments/a1/acquire-lock')).toHaveLength(0); // nothing yet
    await userEvent.click(within(dialog).getByRole('button', { name: 'Take over' }));
    await screen.findByRole('button', { name: 'Done' });
    expect(api.callsTo('POST /api/appointments/a1/acquire-lock')[0]!.body).toEqual({
      sessionId: MY_SESSION,
      takeover: true,
      fencingToken: 11,
    });
  });
});

describe('nothing typed is lost', () => {
  async function editLocation(text: string) {
    const location = screen.getByLabelText('Location');
    await userEvent.clear(location);
    await userEvent.type(location, text);
  }

  function storedDraft() {
    const raw = localStorage.getItem(`slotlock.draft.${alice.id}.a1`);
    return raw ? JSON.parse(raw) : null;
  }

  it('423 on save: the draft stays, a toast says why, and the page offers Copy / Re-apply', async () => {
    const { api } = renderEditor({ lock: makeLock(alice, MY_SESSION) });
    await editorLoaded();
    await screen.findByRole('button', { name: 'Done' });
    await editLocation('Room 9');
    expect(storedDraft().values.location).toBe('Room 9');

    api
      .on('PUT /api/appointments/a1', apiError(423, 'LOCK_NOT_HELD', 'You do not hold the lock.'))
      .on('GET /api/appointments/a1/lock-status', {
        status: 200,
        body: { locked: true, lock: makeLock(carol, 's-carol', { fencingToken: 8 }), serverTime: SERVER_NOW },
      });
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText(/you no longer hold the editing lock/)).toBeInTheDocument();
    const put = api.callsTo('PUT /api/appointments/a1')[0]!;
    expect(put.headers['X-Lock-Token']).toBe('7');
    expect(put.body).toMatchObject({ location: 'Room 9', version: 3 });

    await screen.findByRole('button', { name: 'Copy my changes' });
    expect(screen.getByRole('button', { name: 'Re-apply my changes' })).toBeInTheDocument();
    expect(storedDraft().values.location).toBe('Room 9');
    // Carol holds it now: the form is read-only again
    for (const c of controls()) expect(c).toBeDisabled();
  });

  it('409 on save: the typed values stay, and Re-apply rebases them on the latest version', async () => {
    const { api } = renderEditor({ lock: makeLock(alice, MY_SESSION) });
    await editorLoaded();
    await screen.findByRole('button', { name: 'Done' });
    await editLocation('Room 9');

    const current = makeAppointment({
      version: 4,
      notes: 'Changed by Bob',
      updatedBy: { id: bob.id, name: bob.name, email: bob.email },
    });
    api.on('PUT /api/appointments/a1', apiError(409, 'VERSION_CONFLICT', 'Changed meanwhile.', { current }));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(
      await screen.findByText(/Bob Chen saved this appointment while you were editing/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Location')).toHaveValue('Room 9');
    expect(storedDraft().values.location).toBe('Room 9');
    expect(screen.getByRole('button', { name: 'Copy my changes' })).toBeInTheDocument();

    api.on('PUT /api/appointments/a1', ({ body }) => ({
      status: 200,
      body: makeAppointment({ ...(body as object), version: 5 }),
    }));
    await userEvent.click(screen.getByRole('button', { name: 'Re-apply my changes' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.callsTo('PUT /api/appointments/a1')).toHaveLength(2));
    expect(api.callsTo('PUT /api/appointments/a1')[1]!.body).toMatchObject({
      location: 'Room 9',
      version: 4,
    });
    await waitFor(() => expect(storedDraft()).toBeNull());
  });

  it('reports activity while typing, at most once per 5 s', async () => {
    renderEditor({ lock: makeLock(alice, MY_SESSION) });
    await editorLoaded();
    await screen.findByRole('button', { name: 'Done' });
    const ws = FakeWebSocket.last();
    act(() => {
      ws.open();
      ws.receive(roomSnapshot(makeLock(alice, MY_SESSION)));
    });
    await editLocation('abc');
    const activity = () => ws.sent.filter((s) => JSON.parse(s).type === 'activity').length;
    expect(activity()).toBe(1);
    act(() => void vi.advanceTimersByTime(5_100));
    await userEvent.type(screen.getByLabelText('Location'), 'd');
    expect(activity()).toBe(2);
  });

  it('warns before my lock expires; Keep editing heartbeats', async () => {
    const { api } = renderEditor({
      lock: makeLock(alice, MY_SESSION, { expiresAt: '2026-11-28T10:00:45.000Z' }),
    });
    await editorLoaded();
    api.on('POST /api/appointments/a1/heartbeat', {
      status: 200,
      body: {
        lock: makeLock(alice, MY_SESSION, { expiresAt: '2026-11-28T10:05:00.000Z' }),
        serverTime: SERVER_NOW,
      },
    });
    const warning = await screen.findByText(/Your editing lock expires in/);
    expect(warning.closest('section[aria-label="Your lock expires soon"]')).not.toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Keep editing' }));
    // the lock runs for five more minutes
    await waitFor(() =>
      expect(screen.getAllByRole('timer').some((t) => t.textContent === '5:00')).toBe(true),
    );
    expect(api.callsTo('POST /api/appointments/a1/heartbeat')[0]!.body).toEqual({ sessionId: MY_SESSION });
  });

  it('the previous holder after a takeover: a toast and a banner say who, and the draft is offered', async () => {
    renderEditor({ lock: makeLock(alice, MY_SESSION) });
    await editorLoaded();
    await screen.findByRole('button', { name: 'Done' });
    const ws = FakeWebSocket.last();
    act(() => {
      ws.open();
      ws.receive(roomSnapshot(makeLock(alice, MY_SESSION)));
    });
    await editLocation('Room 9');
    act(() =>
      ws.receive({
        seq: 2,
        type: 'lock.taken_over',
        lock: makeLock(carol, 's-carol', { fencingToken: 8 }),
        previousHolder: { userId: alice.id, name: alice.name, email: alice.email },
        by: { userId: carol.id, name: carol.name, email: carol.email },
      }),
    );
    expect(await screen.findByText('Carol Diaz took over editing.')).toBeInTheDocument(); // toast
    expect(screen.getByText(/took over editing from you/)).toHaveTextContent('Carol Diaz');
    expect(screen.getByRole('button', { name: 'Copy my changes' })).toBeInTheDocument();
    for (const c of controls()) expect(c).toBeDisabled();
    expect(storedDraft().values.location).toBe('Room 9');
  });

  it('pagehide releases a held lock with a keepalive request carrying the token', async () => {
    const { api } = renderEditor({ lock: makeLock(alice, MY_SESSION) });
    await editorLoaded();
    await screen.findByRole('button', { name: 'Done' });
    window.dispatchEvent(new Event('pagehide'));
    const release = api.callsTo('DELETE /api/appointments/a1/release-lock');
    expect(release).toHaveLength(1);
    expect(release[0]!.keepalive).toBe(true);
  });
});

describe('when the server turns the socket away', () => {
  it('4008 TOO_MANY_SOCKETS: a plain toast, "not live" shown, and no reconnect loop', async () => {
    const { api } = renderEditor();
    await editorLoaded();
    const ws = FakeWebSocket.last();
    act(() => {
      ws.open();
      ws.receive({ seq: 1, type: 'error', code: 'TOO_MANY_SOCKETS', message: 'Too many sockets.' });
      ws.drop(4008, 'TOO_MANY_SOCKETS');
    });
    expect(
      await screen.findByText('Too many open tabs on this appointment; close some and reload.'),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('connection-indicator')).toHaveTextContent(
      'Not live — too many open tabs',
    );
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(api.callsTo('POST /api/ws-tickets')).toHaveLength(1);
  });

  it('1013 ROOM_FULL: says so and keeps trying, with backoff', async () => {
    const { api } = renderEditor();
    await editorLoaded();
    act(() => {
      const ws = FakeWebSocket.last();
      ws.open();
      ws.receive({ seq: 1, type: 'error', code: 'ROOM_FULL', message: 'Too many people.' });
      ws.drop(1013, 'room full');
    });
    expect(await screen.findByTestId('connection-indicator')).toHaveTextContent(
      'Too many people are viewing this — retrying…',
    );
    expect(FakeWebSocket.instances).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(2_500)); // 2 s, give or take jitter
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(api.callsTo('POST /api/ws-tickets')).toHaveLength(2);
    act(() => {
      FakeWebSocket.last().open();
      FakeWebSocket.last().receive(roomSnapshot(null));
    });
    expect(useLockStore.getState().connection).toBe('open');
  });

  it('Notify me when free answered 409 NOT_CONNECTED: a plain toast, and the page stays as it was', async () => {
    const { api } = renderEditor({ lock: makeLock(bob, 's-bob') });
    await editorLoaded();
    api.on(
      'POST /api/appointments/a1/acquire-lock',
      apiError(409, 'NOT_CONNECTED', 'Open the live connection of this tab first.'),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Notify me when free' }));
    expect(
      await screen.findByText('You were not put in line: this page is not receiving live updates.'),
    ).toBeInTheDocument();
    expect(api.callsTo('POST /api/appointments/a1/acquire-lock')[0]!.body).toMatchObject({
      sessionId: MY_SESSION,
      queue: true,
    });
    expect(screen.getByRole('button', { name: 'Notify me when free' })).toBeEnabled();
  });
});
