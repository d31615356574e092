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

describe('AuditPage actions of issue 13', () => {
  it('filters by and labels the offer and delete actions', async () => {
    const row = (id: number, action: string, reason: string) => ({
      id,
      at: '2026-11-28T10:00:00.000Z',
      appointmentId: 'a1',
      action,
      actor: { id: bob.id, name: bob.name, email: bob.email },
      previousHolder: null,
      reason,
    });
    const api = mockApi()
      .on('GET /api/audit', {
        status: 200,
        body: {
          items: [
            row(4, 'deleted', 'user'),
            row(3, 'offer_expired', 'expiry'),
            row(2, 'offer_declined', 'user'),
            row(1, 'offered', 'queue'),
          ],
          nextBefore: null,
        },
      })
      .on('GET /api/appointments', { status: 200, body: { items: [makeAppointment({ id: 'a1' })] } })
      .on('GET /api/users', { status: 200, body: { items: [alice, bob, carol] } });
    renderWithApp(<AuditPage />, { path: '/audit' });
    const rows = await screen.findAllByTestId('audit-row');
    expect(rows.map((r) => r.querySelector('td:nth-child(2)')!.textContent)).toEqual([
      'Deleted',
      'Offer ran out',
      'Offer passed',
      'Offered to the next in line',
    ]);
    const action = screen.getByLabelText('Action');
    for (const value of ['offered', 'offer_declined', 'offer_expired', 'deleted'])
      expect(action.querySelector(`option[value="${value}"]`)).not.toBeNull();
    act(() => void fireEvent.change(action, { target: { value: 'offer_expired' } }));
    await waitFor(() => {
      const last = new URL(api.callsTo('GET /api/audit').at(-1)!.path, 'http://localhost');
      expect(last.searchParams.get('action')).toBe('offer_expired');
    });
  });
});
