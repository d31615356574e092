import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry, User } from '@/lib/api/models';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { SERVER_NOW, alice, bob, carol, makeAppointment, makeLock } from '@/testing/fixtures';
import { apiError } from '@/testing/mock-api';
import { clinicTime } from '@/lib/clinic-time';
import { editorLoaded, openRoom, renderEditor, setUpEditorTestEnvironment } from '../testing/editor-page';

setUpEditorTestEnvironment();

const formatWhen = clinicTime('UTC').dateTime;

const by = (u: User) => ({ userId: u.id, name: u.name, email: u.email });
const history: HistoryEntry[] = [
  {
    version: 3,
    at: '2026-11-28T09:00:00.000Z',
    by: by(carol),
    changes: [
      { field: 'status', from: 'scheduled', to: 'confirmed' },
      { field: 'notes', from: '', to: 'First visit' },
    ],
  },
  {
    version: 2,
    at: '2026-11-27T15:30:00.000Z',
    by: by(bob),
    changes: [{ field: 'startsAt', from: '2026-11-29T08:00:00.000Z', to: '2026-11-29T09:00:00.000Z' }],
  },
  {
    version: 1,
    at: '2026-11-27T15:00:00.000Z',
    by: by(alice),
    changes: [
      { field: 'title', from: null, to: 'Dental check-up' },
      { field: 'clientName', from: null, to: 'Maya Patel' },
    ],
  },
];

describe('History panel', () => {
  it('every version newest first: who, when, and field by field from → to in words', async () => {
    const { api } = renderEditor();
    api.on('GET /api/appointments/a1/history', { status: 200, body: { items: history } });
    await editorLoaded();
    const panel = await screen.findByRole('region', { name: 'History' });
    const entries = await within(panel).findAllByTestId('history-entry');
    expect(entries.map((e) => e.querySelector('strong')!.textContent)).toEqual([
      'Version 3',
      'Version 2',
      'Version 1',
    ]);
    const [v3, v2, v1] = entries as [HTMLElement, HTMLElement, HTMLElement];
    expect(v3).toHaveTextContent('saved by Carol Diaz');
    expect(v3).toHaveTextContent(formatWhen('2026-11-28T09:00:00.000Z'));
    expect(within(v3).getByRole('list', { name: 'Version 3: changes' })).toHaveTextContent(
      'StatusScheduled→ changed to Confirmed',
    );
    expect(v3).toHaveTextContent('(empty)');
    // a time in words, not an ISO string
    expect(v2).toHaveTextContent(`Starts${formatWhen('2026-11-29T08:00:00.000Z')}`);
    expect(v2).not.toHaveTextContent('2026-11-29T');
    expect(v1).toHaveTextContent('created by Alice Martin');
    expect(v1).toHaveTextContent('Client nameMaya Patel');
  });

  it("shows times in the clinic's zone, said once", async () => {
    const { api } = renderEditor({ timeZone: 'America/New_York' });
    api.on('GET /api/appointments/a1/history', { status: 200, body: { items: history.slice(1, 2) } });
    await editorLoaded();
    const panel = await screen.findByRole('region', { name: 'History' });
    await within(panel).findByTestId('history-entry');
    const ny = clinicTime('America/New_York');
    expect(panel).toHaveTextContent(`Starts${ny.dateTime('2026-11-29T08:00:00.000Z')}`);
    expect(ny.dateTime('2026-11-29T08:00:00.000Z')).toMatch(/03:00/);
    expect(panel).toHaveTextContent('Times in America/New_York');
  });

  it('refreshes when the room says the appointment was saved', async () => {
    const { api } = renderEditor();
    api.on('GET /api/appointments/a1/history', { status: 200, body: { items: history.slice(1) } });
    await editorLoaded();
    const ws = await openRoom(null);
    await waitFor(() => expect(screen.getAllByTestId('history-entry')).toHaveLength(2));
    api.on('GET /api/appointments/a1/history', { status: 200, body: { items: history } });
    api.on('GET /api/appointments/a1', { status: 200, body: makeAppointment({ version: 4 }) });
    act(() =>
      ws.receive({
        seq: 2,
        type: 'appointment.updated',
        appointment: {
          id: 'a1',
          version: 4,
          updatedBy: { id: carol.id, name: carol.name, email: carol.email },
        },
      }),
    );
    await waitFor(() => expect(screen.getAllByTestId('history-entry')).toHaveLength(3));
  });
});

describe('the clinic zone', () => {
  it('an unreadable /api/config still gives a working form (in UTC), without flickering back to loading', async () => {
    const { api } = renderEditor({
      lock: makeLock(alice, 's-mine'),
      config: apiError(503, 'STORE_UNAVAILABLE', 'The database cannot be reached.'),
    });
    await editorLoaded();
    expect(await screen.findByLabelText('Starts')).toHaveValue('2026-11-29T09:00');
    await act(async () => void (await new Promise((r) => setTimeout(r, 200))));
    expect(screen.getByLabelText('Starts')).toBeInTheDocument();
    expect(api.callsTo('GET /api/config').length).toBeLessThan(5);
  });
});

describe('a deleted appointment', () => {
  it('deleted while I watch: said plainly with who, the form gone, a link back, announced politely', async () => {
    renderEditor({ lock: makeLock(bob, 's-bob') });
    await editorLoaded();
    const ws = await openRoom(makeLock(bob, 's-bob'));
    act(() => ws.receive({ seq: 2, type: 'appointment.deleted', appointmentId: 'a1', by: by(bob) }));
    const notice = await screen.findByTestId('deleted-notice');
    expect(notice).toHaveTextContent('Bob Chen deleted this appointment.');
    expect(within(notice).getByRole('link', { name: 'Back to appointments' })).toHaveAttribute('href', '/');
    expect(screen.queryByRole('form', { name: 'Appointment' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.getByTestId('lock-announcer')).toHaveTextContent('Bob Chen deleted this appointment.');
    expect(document.title).toBe('Dental check-up (deleted) · slotlock');
    // nothing left to reconnect to
    expect(ws.closedWith).not.toBeNull();
  });

  it("opening a deleted appointment's address says it was deleted", async () => {
    renderEditor({ appointment: apiError(404, 'NOT_FOUND', 'This appointment was deleted.') });
    expect(await screen.findByRole('heading', { name: 'Appointment deleted' })).toBeInTheDocument();
    // no room to join any more: the socket is not retried
    await waitFor(() => expect(FakeWebSocket.instances.every((ws) => ws.closedWith !== null)).toBe(true));
    expect(screen.getByText('This appointment was deleted.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to appointments' })).toBeInTheDocument();
  });

  it('an address that never existed is "not available"', async () => {
    renderEditor({ appointment: apiError(404, 'NOT_FOUND', 'No such appointment.') });
    expect(await screen.findByRole('heading', { name: 'Appointment not available' })).toBeInTheDocument();
  });
});

describe('Force release (admins)', () => {
  it('asks in a dialog naming the holder, then frees the lock with force=true and says so', async () => {
    const { api } = renderEditor({ me: carol, lock: makeLock(alice, 's-alice') });
    await editorLoaded();
    await openRoom(makeLock(alice, 's-alice'));
    api.on('DELETE /api/appointments/a1/release-lock?force=true', { status: 200, body: { released: true } });
    const button = await screen.findByRole('button', { name: 'Force release' });
    await userEvent.click(button);
    const dialog = await screen.findByRole('alertdialog', { name: 'Force release the lock?' });
    expect(dialog).toHaveTextContent('Alice Martin');
    expect(dialog).toHaveTextContent('alice@example.com');
    expect(api.calls.filter((c) => c.path.includes('force=true'))).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Force release' }));
    expect(await screen.findByText("Alice Martin's lock was released.")).toBeInTheDocument();
    expect(
      api.calls.filter((c) => c.method === 'DELETE' && c.path.endsWith('release-lock?force=true')),
    ).toHaveLength(1);
  });

  it('users do not see it', async () => {
    renderEditor({ me: bob, lock: makeLock(alice, 's-alice') });
    await editorLoaded();
    await screen.findByRole('button', { name: 'Notify me when free' });
    expect(screen.queryByRole('button', { name: 'Force release' })).toBeNull();
  });
});

describe('an offered lock', () => {
  const offer = (u: User) => ({
    appointmentId: 'a1',
    userId: u.id,
    name: u.name,
    email: u.email,
    sessionId: 's-x',
    deadline: '2026-11-28T10:00:45.000Z',
  });

  it('viewers see who is offered it and until when; Edit waits, the line does not', async () => {
    renderEditor({ me: alice });
    await editorLoaded();
    await openRoom(null, { offer: offer(bob), serverTime: SERVER_NOW });
    const banner = await screen.findByRole('region', { name: 'Offered to the next in line' });
    expect(banner).toHaveTextContent('offered to Bob Chen');
    expect(within(banner).getByRole('timer')).toHaveTextContent(/0:4[45]/);
    expect(screen.getByRole('button', { name: 'Edit' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Notify me when free' })).toBeEnabled();
    // said once, politely
    expect(screen.getByTestId('lock-announcer')).toHaveTextContent(
      'The lock is offered to Bob Chen, next in line.',
    );
  });

  it('the one offered it is told it is their turn, with Edit enabled', async () => {
    renderEditor({ me: bob });
    await editorLoaded();
    await openRoom(null, { offer: offer(bob) });
    expect(await screen.findByRole('region', { name: 'Offered to the next in line' })).toHaveTextContent(
      "It's your turn.",
    );
    expect(screen.getByRole('button', { name: 'Edit' })).toBeEnabled();
  });
});
