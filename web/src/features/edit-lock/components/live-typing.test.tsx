import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { alice, bob, makeLock } from '@/testing/fixtures';
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

describe('the holder sends what they type', () => {
  const myLock = makeLock(alice, MY_SESSION);

  it('only changed fields, at most one frame per interval, the last value always delivered', async () => {
    renderEditor({ lock: myLock });
    await editorLoaded();
    const ws = await openRoom(myLock);
    const sentAt: number[] = [];
    const send = ws.send.bind(ws);
    ws.send = (data: string) => {
      if (JSON.parse(data).type === 'draft') sentAt.push(Date.now());
      send(data);
    };
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const location = await screen.findByLabelText('Location');
    // nine keystrokes, 20 ms apart: far more than 5 a second
    for (const ch of ' and more') {
      await user.type(location, ch);
      act(() => void vi.advanceTimersByTime(20));
    }
    act(() => void vi.advanceTimersByTime(DRAFT_INTERVAL_MS));
    expect(sentAt.length).toBeGreaterThan(1);
    expect(sentAt.length).toBeLessThan(' and more'.length);
    for (let i = 1; i < sentAt.length; i++)
      expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(DRAFT_INTERVAL_MS);
    expect(sentDrafts(ws).at(-1)).toEqual({ location: 'Room 1 and more' });

    // status by name; a field typed back to its saved value leaves the draft
    await user.selectOptions(screen.getByLabelText('Status'), 'confirmed');
    await user.clear(location);
    await user.type(location, 'Room 1');
    act(() => void vi.advanceTimersByTime(DRAFT_INTERVAL_MS));
    expect(sentDrafts(ws).at(-1)).toEqual({ status: 'confirmed' });
    await user.selectOptions(screen.getByLabelText('Status'), 'scheduled');
    act(() => void vi.advanceTimersByTime(DRAFT_INTERVAL_MS));
    expect(sentDrafts(ws).at(-1)).toEqual({});
  });

  it("shows and sends times in the clinic's zone, not the browser's", async () => {
    renderEditor({ lock: myLock, timeZone: 'Europe/Berlin' });
    await editorLoaded();
    const ws = await openRoom(myLock);
    const starts = (await screen.findByLabelText('Starts')) as HTMLInputElement;
    // 09:00 UTC is 10:00 in Berlin in November
    expect(starts).toHaveValue('2026-11-29T10:00');
    act(() => void fireEvent.change(starts, { target: { value: '2026-11-29T11:30' } }));
    act(() => void vi.advanceTimersByTime(DRAFT_INTERVAL_MS));
    expect(sentDrafts(ws).at(-1)).toEqual({ startsAt: '2026-11-29T10:30:00.000Z' });
  });

  it('sends what is typed again on the connection that replaces a dropped one', async () => {
    renderEditor({ lock: myLock });
    await editorLoaded();
    const ws = await openRoom(myLock);
    await userEvent.type(await screen.findByLabelText('Notes'), '!');
    act(() => void vi.advanceTimersByTime(DRAFT_INTERVAL_MS));
    expect(sentDrafts(ws).at(-1)).toEqual({ notes: 'First visit!' });
    act(() => ws.drop());
    await waitFor(() => expect(FakeWebSocket.instances.length).toBe(2), { timeout: 3000 });
    const next = await openRoom(myLock);
    expect(next).not.toBe(ws);
    act(() => void vi.advanceTimersByTime(DRAFT_INTERVAL_MS));
    expect(sentDrafts(next)).toEqual([{ notes: 'First visit!' }]);
  });
});

describe('viewers see the holder type', () => {
  const bobLock = makeLock(bob, 's-bob');
  const typed = (seq: number, fields: Record<string, string>) => ({
    seq,
    type: 'draft',
    sessionId: 's-bob',
    userId: bob.id,
    name: bob.name,
    fields,
  });

  it('the typed values in the disabled form, each marked in words, and one line naming who types', async () => {
    renderEditor({ lock: bobLock });
    await editorLoaded();
    const ws = await openRoom(bobLock);
    act(() =>
      ws.receive(
        typed(2, {
          title: 'Check-up and cleaning',
          startsAt: '2026-11-29T10:00:00.000Z',
          status: 'confirmed',
        }),
      ),
    );
    const title = screen.getByLabelText('Title');
    expect(title).toHaveValue('Check-up and cleaning');
    expect(title).toBeDisabled();
    expect(screen.getByLabelText('Status')).toHaveValue('confirmed');
    // marked in words, and the mark is read with the control
    expect(title).toHaveAccessibleDescription('Not saved yet');
    expect(screen.getByLabelText('Client name')).not.toHaveAccessibleDescription();
    expect(screen.getAllByTestId('unsaved-mark')).toHaveLength(3);
    const status = screen.getByTestId('typing-status');
    expect(status).toHaveAttribute('aria-live', 'polite');
    expect(status).toHaveTextContent('Bob Chen is typing…');

    // more keystrokes do not change the line's words (nothing new to announce)
    const line = status.textContent;
    act(() => ws.receive(typed(3, { title: 'Check-up and cleaning!', status: 'confirmed' })));
    expect(status.textContent).toBe(line);
    expect(screen.getAllByTestId('unsaved-mark')).toHaveLength(2);
  });

  it('the saved values again when the holder goes back to them or cancels', async () => {
    renderEditor({ lock: bobLock });
    await editorLoaded();
    const ws = await openRoom(bobLock);
    act(() => ws.receive(typed(2, { location: 'Room 9' })));
    expect(screen.getByLabelText('Location')).toHaveValue('Room 9');
    act(() => ws.receive(typed(3, {})));
    expect(screen.getByLabelText('Location')).toHaveValue('Room 1');
    expect(screen.queryByTestId('unsaved-mark')).toBeNull();
    expect(screen.getByTestId('typing-status')).toHaveTextContent('');

    act(() => ws.receive(typed(4, { location: 'Room 9' })));
    act(() =>
      ws.receive({
        seq: 5,
        type: 'lock.released',
        appointmentId: 'a1',
        previousHolder: { userId: bob.id, name: bob.name, email: bob.email },
        reason: 'user',
      }),
    );
    expect(screen.getByLabelText('Location')).toHaveValue('Room 1');
    expect(screen.queryByText(/is typing/)).toBeNull();
  });

  it("shows the snapshot's draft on joining", async () => {
    renderEditor({ lock: bobLock });
    await editorLoaded();
    await openRoom(bobLock, {
      draft: { sessionId: 's-bob', userId: bob.id, name: bob.name, fields: { notes: 'Bring X-rays' } },
    });
    await waitFor(() => expect(screen.getByLabelText('Notes')).toHaveValue('Bring X-rays'));
    expect(screen.getByLabelText('Notes')).toHaveAccessibleDescription('Not saved yet');
  });
});
