import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { alice, makeLock } from '@/testing/fixtures';
import { apiError } from '@/testing/mock-api';
import { DRAFT_INTERVAL_MS } from '../hooks/use-draft-broadcast';
import {
  MY_SESSION,
  editorLoaded,
  openRoom,
  renderEditor,
  sentDrafts,
  setUpEditorTestEnvironment,
} from '../testing/editor-page';

setUpEditorTestEnvironment();

const myLock = makeLock(alice, MY_SESSION, { fencingToken: 9 });

describe('Cancel editing', () => {
  it('without changes: no question, the lock goes back at once, focus on Edit', async () => {
    const { api } = renderEditor({ lock: myLock });
    await editorLoaded();
    await openRoom(myLock);
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel editing' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Edit' })).toHaveFocus());
    expect(api.callsTo('DELETE /api/appointments/a1/release-lock')).toHaveLength(1);
  });

  it('with changes: Keep editing keeps them; Discard tells viewers ({}), releases, and drops the draft', async () => {
    const { api } = renderEditor({ lock: myLock });
    await editorLoaded();
    const ws = await openRoom(myLock);
    const title = await screen.findByLabelText('Title');
    await userEvent.type(title, ' and cleaning');
    act(() => void vi.advanceTimersByTime(DRAFT_INTERVAL_MS));
    expect(sentDrafts(ws).at(-1)).toEqual({ title: 'Dental check-up and cleaning' });

    await userEvent.click(screen.getByRole('button', { name: 'Cancel editing' }));
    let dialog = await screen.findByRole('alertdialog', { name: 'Discard your changes?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    await waitFor(() => expect(dialog).not.toHaveAttribute('open'));
    expect(screen.getByLabelText('Title')).toHaveValue('Dental check-up and cleaning');
    expect(api.callsTo('DELETE /api/appointments/a1/release-lock')).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'Cancel editing' }));
    dialog = await screen.findByRole('alertdialog', { name: 'Discard your changes?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Discard and stop editing' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Edit' })).toHaveFocus());
    expect(sentDrafts(ws).at(-1)).toEqual({});
    // the viewers heard "back to saved" before the lock was given back
    expect(api.callsTo('DELETE /api/appointments/a1/release-lock')).toHaveLength(1);
    expect(api.callsTo('PUT /api/appointments/a1')).toHaveLength(0);
    expect(screen.getByLabelText('Title')).toHaveValue('Dental check-up');
    expect(localStorage.getItem(`slotlock.draft.${alice.id}.a1`)).toBeNull();
  });
});

describe('Delete', () => {
  it('asks in a modal dialog naming the appointment; Escape cancels and focus returns to Delete', async () => {
    const { api } = renderEditor({ lock: myLock });
    await editorLoaded();
    const del = await screen.findByRole('button', { name: 'Delete' });
    await userEvent.click(del);
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete this appointment?' });
    expect(dialog.tagName).toBe('DIALOG');
    expect(dialog).toHaveTextContent('Dental check-up');
    expect(dialog).toHaveTextContent('Maya Patel');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    act(() => void dialog.dispatchEvent(new Event('cancel', { cancelable: true })));
    await waitFor(() => expect(dialog).not.toHaveAttribute('open'));
    expect(del).toHaveFocus();
    expect(api.callsTo('DELETE /api/appointments/a1')).toHaveLength(0);
  });

  it('deletes with the lock token, then goes back to the list with a toast; the draft goes too', async () => {
    const { api } = renderEditor({ lock: myLock });
    await editorLoaded();
    api.on('DELETE /api/appointments/a1', { status: 204 });
    await userEvent.type(await screen.findByLabelText('Notes'), ' (typed)');
    expect(localStorage.getItem(`slotlock.draft.${alice.id}.a1`)).not.toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete this appointment?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete appointment' }));
    await screen.findByText('The appointments list');
    expect(await screen.findByText('“Dental check-up” was deleted.')).toBeInTheDocument();
    const [call] = api.callsTo('DELETE /api/appointments/a1');
    expect(call!.headers['X-Lock-Token']).toBe('9');
    expect(localStorage.getItem(`slotlock.draft.${alice.id}.a1`)).toBeNull();
    // the lock went with the appointment: nothing to release
    expect(api.callsTo('DELETE /api/appointments/a1/release-lock')).toHaveLength(0);
  });

  it('a lost lock (423): nothing deleted, said plainly, the page stays', async () => {
    const { api } = renderEditor({ lock: myLock });
    await editorLoaded();
    api.on('DELETE /api/appointments/a1', apiError(423, 'LOCK_NOT_HELD', 'You do not hold the lock.'));
    api.on('GET /api/appointments/a1/lock-status', {
      status: 200,
      body: { locked: false, lock: null, serverTime: '2026-11-28T10:00:00.000Z' },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete this appointment?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete appointment' }));
    expect(
      await screen.findByText(/Nothing was deleted: you no longer hold the editing lock/),
    ).toBeInTheDocument();
    expect(screen.queryByText('The appointments list')).toBeNull();
    await screen.findByRole('button', { name: 'Edit' });
  });
});
