import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { User } from '@/lib/api/models';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { SERVER_NOW, alice, bob, carol, makeLock } from '@/testing/fixtures';
import {
  MY_SESSION,
  editorLoaded,
  renderEditor,
  roomSnapshot,
  setUpEditorTestEnvironment,
} from '../testing/editor-page';

const announcer = () => screen.getByTestId('lock-announcer');

setUpEditorTestEnvironment();

describe('focus', () => {
  it('Edit moves focus to the first field; Done moves it back to Edit', async () => {
    const { api } = renderEditor();
    await editorLoaded();
    api.on('POST /api/appointments/a1/acquire-lock', {
      status: 200,
      body: { lock: makeLock(alice, MY_SESSION), serverTime: SERVER_NOW },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    await screen.findByRole('button', { name: 'Done' });
    await waitFor(() => expect(screen.getByLabelText('Title')).toHaveFocus());

    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    const edit = await screen.findByRole('button', { name: 'Edit' });
    await waitFor(() => expect(edit).toHaveFocus());
  });

  it('Cancel editing gives the lock back without saving, and focus returns to Edit', async () => {
    const { api } = renderEditor({ lock: makeLock(alice, MY_SESSION) });
    await editorLoaded();
    await userEvent.type(await screen.findByLabelText('Location'), ' B');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel editing' }));
    // There were changes: they go only after the person confirms.
    const dialog = await screen.findByRole('alertdialog', { name: 'Discard your changes?' });
    expect(within(dialog).getByRole('button', { name: 'Keep editing' })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Discard and stop editing' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Edit' })).toHaveFocus());
    expect(api.callsTo('PUT /api/appointments/a1')).toHaveLength(0);
    expect(api.callsTo('DELETE /api/appointments/a1/release-lock')).toHaveLength(1);
    expect(localStorage.getItem(`slotlock.draft.${alice.id}.a1`)).toBeNull();
  });

  it('the take-over dialog is a modal <dialog>: focus on Cancel, Escape closes it, focus back on Take over', async () => {
    renderEditor({ me: carol, lock: makeLock(bob, 's-bob') });
    await editorLoaded();
    const takeOver = await screen.findByRole('button', { name: 'Take over' });
    await userEvent.click(takeOver);
    const dialog = await screen.findByRole('alertdialog', { name: 'Take over editing?' });
    expect(dialog.tagName).toBe('DIALOG');
    expect(dialog).toHaveAttribute('open');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    // Escape is the browser's `cancel` event on a modal dialog.
    act(() => void dialog.dispatchEvent(new Event('cancel', { cancelable: true })));
    await waitFor(() => expect(dialog).not.toHaveAttribute('open'));
    expect(takeOver).toHaveFocus();
  });
});

describe('Done', () => {
  it("the server's news of my own release, arriving before the DELETE's answer, is not 'moved elsewhere'", async () => {
    const { api } = renderEditor({ lock: makeLock(alice, MY_SESSION) });
    await editorLoaded();
    const ws = FakeWebSocket.last();
    act(() => {
      ws.open();
      ws.receive(roomSnapshot(makeLock(alice, MY_SESSION)));
    });
    let answer!: () => void;
    api.on(
      'DELETE /api/appointments/a1/release-lock',
      () => new Promise((resolve) => (answer = () => resolve({ status: 200, body: { released: true } }))),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Done' }));
    act(() =>
      ws.receive({
        seq: 2,
        type: 'lock.released',
        appointmentId: 'a1',
        previousHolder: { userId: alice.id, name: alice.name, email: alice.email },
        reason: 'user',
      }),
    );
    await act(async () => answer());
    expect(await screen.findByText('You are done editing.')).toBeInTheDocument();
    expect(screen.queryByText(/Editing moved to another tab/)).toBeNull();
  });
});

describe('announcements', () => {
  it("someone else's countdown is announced at 1:00 and 0:10, not every second; a freed lock once", async () => {
    renderEditor({ lock: makeLock(bob, 's-bob', { expiresAt: '2026-11-28T10:01:15.000Z' }) });
    await editorLoaded();
    await screen.findByText(/is editing this appointment/);
    const said: string[] = [];
    const observer = new MutationObserver(() => said.push(announcer().textContent ?? ''));
    observer.observe(announcer(), { childList: true, subtree: true, characterData: true });
    const timer = screen.getAllByRole('timer')[0]!;
    const ticks = new Set<string>();
    for (let s = 0; s < 70; s++) {
      await act(() => vi.advanceTimersByTimeAsync(1_000));
      ticks.add(timer.textContent ?? '');
    }
    expect(ticks.size).toBeGreaterThan(60); // the visible timer ticked every second
    expect(said).toEqual([
      "Bob Chen's lock expires in 1 minute unless they keep working.",
      "Bob Chen's lock expires in 10 seconds unless they keep working.",
    ]);

    const ws = FakeWebSocket.last();
    act(() => {
      ws.open();
      ws.receive(roomSnapshot(makeLock(bob, 's-bob', { expiresAt: '2026-11-28T10:01:15.000Z' })));
      ws.receive({
        seq: 2,
        type: 'lock.released',
        appointmentId: 'a1',
        previousHolder: { userId: bob.id, name: bob.name, email: bob.email },
        reason: 'user',
      });
    });
    expect(announcer()).toHaveTextContent('The appointment is free.');
    act(() =>
      ws.receive({ seq: 3, type: 'lock.acquired', lock: makeLock(carol, 's-carol', { fencingToken: 8 }) }),
    );
    expect(announcer()).toHaveTextContent('Carol Diaz is now editing.');
    observer.disconnect();
  });

  it('the banner and the expiry warning are not live regions', async () => {
    renderEditor({ lock: makeLock(alice, MY_SESSION, { expiresAt: '2026-11-28T10:00:45.000Z' }) });
    await editorLoaded();
    await screen.findByText(/Your editing lock expires in/);
    const live = document.querySelectorAll(
      '[role="status"], [role="alert"], [aria-live]:not([aria-live="off"])',
    );
    for (const el of live) expect(el.querySelector('[role="timer"]'), el.outerHTML).toBeNull();
    expect(screen.getByRole('region', { name: 'Your lock expires soon' })).toBeInTheDocument();
  });

  it('who is viewing is a list of names, not initials', async () => {
    renderEditor();
    await editorLoaded();
    const ws = FakeWebSocket.last();
    const viewer = (u: User, sessionId: string, color: string) => ({
      userId: u.id,
      name: u.name,
      email: u.email,
      role: u.role,
      sessionId,
      color,
    });
    act(() => {
      ws.open();
      ws.receive({
        ...roomSnapshot(null),
        presence: [viewer(alice, MY_SESSION, '#3f8a1c'), viewer(bob, 's-bob', '#c2b91f')],
      });
    });
    const list = screen.getByRole('list', { name: 'Viewing this appointment' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['AMAlice Martin (you)', 'BCBob Chen']);
    expect(within(list).getByText('Bob Chen')).toBeInTheDocument();
  });
});
