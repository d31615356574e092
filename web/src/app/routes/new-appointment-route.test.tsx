import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { toast } from 'sonner';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAppointment } from '@/testing/fixtures';
import { apiError, mockApi } from '@/testing/mock-api';
import { renderWithApp } from '@/testing/render';
import { NewAppointmentRoute } from './new-appointment-route';

afterEach(() => toast.dismiss());

function show(m = mockApi()) {
  m.on('GET /api/config', { status: 200, body: { timeZone: 'Europe/Berlin', demo: false } });
  const view = renderWithApp(
    <Routes>
      <Route path="/appointments/new" element={<NewAppointmentRoute />} />
      <Route path="/appointments/:id" element={<p>Appointment page</p>} />
    </Routes>,
    { path: '/appointments/new?date=2026-11-30' },
  );
  return { m, ...view };
}

async function fillIn(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByLabelText('Title'), 'Check-up');
  await user.type(screen.getByLabelText('Client name'), 'Maya Patel');
  await user.type(screen.getByLabelText('Client e-mail'), 'maya@example.org');
  await user.type(screen.getByLabelText('Location'), 'Room 1');
}

describe('New appointment', () => {
  it('shows what is wrong beside each input, wired for assistive technology, and focuses the first', async () => {
    const user = userEvent.setup();
    const { m } = show();
    await screen.findByRole('heading', { name: 'New appointment' });
    expect(document.title).toBe('New appointment · slotlock');
    expect(screen.getByText(/Times in Europe\/Berlin/)).toBeInTheDocument();
    await user.type(screen.getByLabelText('Client e-mail'), 'maya@');
    await user.click(screen.getByRole('button', { name: 'Create appointment' }));

    const title = screen.getByLabelText('Title');
    expect(title).toHaveAttribute('aria-invalid', 'true');
    expect(title).toHaveAccessibleDescription('Enter a title.');
    expect(screen.getByLabelText('Client e-mail')).toHaveAccessibleDescription(
      'Enter an e-mail address like name@example.com.',
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Please correct these 3 fields: Title, Client name, Client e-mail.',
    );
    expect(title).toHaveFocus();
    expect(m.callsTo('POST /api/appointments')).toHaveLength(0);

    // Errors follow the typing once shown.
    await user.type(title, 'Check-up');
    expect(title).not.toHaveAttribute('aria-invalid');
  });

  it('starts on the day picked in the list, in the clinic zone, and checks overlaps before saving', async () => {
    const user = userEvent.setup();
    const m = mockApi().on('GET /api/conflicts', {
      status: 200,
      body: {
        conflicts: [
          {
            id: 'c1',
            title: 'Root canal',
            startsAt: '2026-11-30T07:45:00.000Z',
            endsAt: '2026-11-30T08:15:00.000Z',
            location: 'Room 1',
          },
        ],
      },
    });
    show(m);
    expect(await screen.findByLabelText('Starts')).toHaveValue('2026-11-30T09:00');
    expect(screen.getByLabelText('Ends')).toHaveValue('2026-11-30T09:30');
    await user.type(screen.getByLabelText('Location'), 'Room 1');
    const warning = await screen.findByText(/Another appointment in Room 1 overlaps this time/);
    expect(warning.closest('[role=status]')).toHaveTextContent(/Root canal/);
    expect(warning.closest('[role=status]')).toHaveTextContent(/08:45.*09:15/); // in Berlin
    expect(screen.getAllByText(/Times in Europe\/Berlin/)).toHaveLength(1); // said once per page
    const asked = new URL(m.callsTo('GET /api/conflicts').at(-1)!.path, 'http://x').searchParams;
    expect(asked.get('startsAt')).toBe('2026-11-30T08:00:00.000Z'); // 09:00 in Berlin
    expect(asked.get('location')).toBe('Room 1');
  });

  it('creates: the instants of the clinic zone go to the server, then the new appointment’s page, with its overlaps in a toast', async () => {
    const user = userEvent.setup();
    const m = mockApi()
      .on('GET /api/conflicts', { status: 200, body: { conflicts: [] } })
      .on('POST /api/appointments', {
        status: 201,
        body: {
          ...makeAppointment({ id: 'n1', title: 'Check-up' }),
          conflicts: [
            {
              id: 'c1',
              title: 'Root canal',
              startsAt: '2026-11-30T08:15:00.000Z',
              endsAt: '2026-11-30T09:00:00.000Z',
              location: 'Room 1',
            },
          ],
        },
      });
    show(m);
    await fillIn(user);
    await user.click(screen.getByRole('button', { name: 'Create appointment' }));
    await screen.findByText('Appointment page');
    expect(m.callsTo('POST /api/appointments')[0]!.body).toEqual({
      title: 'Check-up',
      clientName: 'Maya Patel',
      clientEmail: 'maya@example.org',
      startsAt: '2026-11-30T08:00:00.000Z',
      endsAt: '2026-11-30T08:30:00.000Z',
      location: 'Room 1',
      notes: '',
      status: 'scheduled',
    });
    expect(
      await screen.findByText(
        /Appointment “Check-up” created\. It overlaps another appointment in Room 1: Root canal/,
      ),
    ).toBeInTheDocument();
  });

  it('the server’s 422 fields go beside their inputs; nothing typed is lost', async () => {
    const user = userEvent.setup();
    const m = mockApi()
      .on('GET /api/conflicts', { status: 200, body: { conflicts: [] } })
      .on(
        'POST /api/appointments',
        apiError(422, 'VALIDATION_FAILED', 'Check the fields.', {
          fields: [{ field: 'clientEmail', message: 'This address cannot receive mail.' }],
        }),
      );
    show(m);
    await fillIn(user);
    await user.click(screen.getByRole('button', { name: 'Create appointment' }));
    const email = screen.getByLabelText('Client e-mail');
    await waitFor(() => expect(email).toHaveAccessibleDescription('This address cannot receive mail.'));
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveFocus();
    expect(email).toHaveValue('maya@example.org');
    expect(screen.getByLabelText('Title')).toHaveValue('Check-up');
  });

  it('a server that cannot be reached: a toast in plain words, and the form as it was', async () => {
    const user = userEvent.setup();
    const m = mockApi()
      .on('GET /api/conflicts', { status: 200, body: { conflicts: [] } })
      .on('POST /api/appointments', apiError(503, 'STORE_UNAVAILABLE', 'The database cannot be reached.'));
    show(m);
    await fillIn(user);
    await user.click(screen.getByRole('button', { name: 'Create appointment' }));
    expect(
      await screen.findByText(
        /The appointment was not created: The database cannot be reached\. Your entries are still here\./,
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Client name')).toHaveValue('Maya Patel');
    expect(screen.getByRole('button', { name: 'Create appointment' })).toBeEnabled();
  });
});
