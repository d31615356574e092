import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { alice, makeAppointment, makeLock } from '@/testing/fixtures';
import type { ConflictsSlotProps } from './appointment-editor-page';
import { MY_SESSION, editorLoaded, renderEditor, setUpEditorTestEnvironment } from '../testing/editor-page';

setUpEditorTestEnvironment();

/** Stands in for the app's check: shows what the editor asked. */
function Probe(p: ConflictsSlotProps) {
  return <pre data-testid="probe">{JSON.stringify(p)}</pre>;
}
const probe = () => JSON.parse(screen.getByTestId('probe').textContent!) as ConflictsSlotProps;

describe('overlap check in the editor', () => {
  const myLock = makeLock(alice, MY_SESSION);
  const overlap = {
    id: 'a2',
    title: 'Cleaning',
    startsAt: '2026-11-29T09:15:00.000Z',
    endsAt: '2026-11-29T09:45:00.000Z',
    location: 'Room 1',
  };

  it('is asked with the edited time (read in the clinic zone) and location before saving', async () => {
    renderEditor({ lock: myLock, timeZone: 'Europe/Berlin', Conflicts: Probe });
    await editorLoaded();
    await screen.findByTestId('probe');
    expect(probe()).toMatchObject({
      startsAt: '2026-11-29T09:00:00.000Z',
      location: 'Room 1',
      excludeId: 'a1',
      saved: null,
    });
    act(
      () => void fireEvent.change(screen.getByLabelText('Starts'), { target: { value: '2026-11-29T12:00' } }),
    );
    await userEvent.clear(screen.getByLabelText('Location'));
    await userEvent.type(screen.getByLabelText('Location'), 'Room 2');
    expect(probe()).toMatchObject({ startsAt: '2026-11-29T11:00:00.000Z', location: 'Room 2' });
  });

  it("after a save, the answer's conflicts, until the next change", async () => {
    const { api } = renderEditor({ lock: myLock, Conflicts: Probe });
    await editorLoaded();
    api.on('PUT /api/appointments/a1', {
      status: 200,
      body: { ...makeAppointment({ version: 4, notes: 'x' }), conflicts: [overlap] },
    });
    const notes = await screen.findByLabelText('Notes');
    await userEvent.clear(notes);
    await userEvent.type(notes, 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(probe().saved).toEqual([overlap]));
    await userEvent.type(notes, 'y');
    expect(probe().saved).toBeNull();
  });

  it('viewers get no check', async () => {
    renderEditor({ Conflicts: Probe });
    await editorLoaded();
    await screen.findByRole('button', { name: 'Edit' });
    expect(screen.queryByTestId('probe')).toBeNull();
  });
});
