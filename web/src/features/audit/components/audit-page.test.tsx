import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { alice, bob, carol, makeAppointment } from '@/testing/fixtures';
import { mockApi } from '@/testing/mock-api';
import { renderWithApp } from '@/testing/render';
import { AuditPage } from './audit-page';

describe('AuditPage filters', () => {
  it('keeps both filters when two are changed before the page re-renders', async () => {
    const api = mockApi()
      .on('GET /api/audit', { status: 200, body: { items: [], nextBefore: null } })
      .on('GET /api/appointments', { status: 200, body: { items: [makeAppointment({ id: 'a1' })] } })
      .on('GET /api/users', { status: 200, body: { items: [alice, bob, carol] } });
    renderWithApp(<AuditPage />, { path: '/audit' });
    const actor = await screen.findByLabelText('Actor');
    const appointment = screen.getByLabelText('Appointment');
    await waitFor(() => expect(actor.querySelectorAll('option')).toHaveLength(4));
    await waitFor(() => expect(appointment.querySelectorAll('option').length).toBeGreaterThan(1));

    act(() => {
      fireEvent.change(actor, { target: { value: bob.id } });
      fireEvent.change(appointment, { target: { value: 'a1' } });
    });

    await waitFor(() => {
      const last = new URL(api.callsTo('GET /api/audit').at(-1)!.path, 'http://localhost');
      expect(last.searchParams.get('actorId')).toBe(bob.id);
      expect(last.searchParams.get('appointmentId')).toBe('a1');
    });
    expect(actor).toHaveValue(bob.id);
    expect(appointment).toHaveValue('a1');
  });
});
