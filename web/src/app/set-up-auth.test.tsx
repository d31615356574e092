import { useEffect } from 'react';
import { act, render, screen } from '@testing-library/react';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { Route, Routes } from 'react-router';
import { toast } from 'sonner';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequireAuth, SignInPage, useAuthStore } from '@/features/auth';
import { logout } from '@/features/auth/api/logout';
import { AppointmentEditorPage } from '@/features/edit-lock';
import { readDraft, writeDraft, type Draft } from '@/features/edit-lock/lib/draft';
import { api } from '@/lib/api-client';
import { endSession } from '@/lib/sign-out';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { SERVER_NOW, alice, makeAppointment, makeLock } from '@/testing/fixtures';
import { apiError, mockApi } from '@/testing/mock-api';
import { renderWithApp } from '@/testing/render';
import { AppProviders } from './providers';
import { setUpAuth } from './set-up-auth';

const draft: Draft = {
  values: {
    title: 'Dental check-up',
    clientName: 'Maya Patel',
    clientEmail: 'maya@example.org',
    startsAt: '2026-11-29T09:00:00.000Z',
    endsAt: '2026-11-29T09:30:00.000Z',
    location: 'Room 1',
    notes: 'Allergic to latex',
    status: 'scheduled',
  },
  baseVersion: 3,
  savedAt: SERVER_NOW,
};

function signedInWithDrafts() {
  useAuthStore.getState().signIn({ token: 'tok', expiresAt: '2099-01-01T00:00:00.000Z', user: alice });
  writeDraft('draft', alice.id, 'a1', draft);
  writeDraft('rejected', alice.id, 'a2', { ...draft, reason: 'lock-lost' });
}

function noDraftsLeft() {
  expect(readDraft('draft', alice.id, 'a1')).toBeNull();
  expect(readDraft('rejected', alice.id, 'a2')).toBeNull();
  expect(JSON.stringify({ ...localStorage })).not.toMatch(/Maya Patel|maya@example\.org|latex/);
}

beforeAll(() => setUpAuth());
beforeEach(() => signedInWithDrafts());
afterEach(() => {
  toast.dismiss();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the end of a session clears what it left in this browser', () => {
  it('Sign out: token and drafts go, and the sign-in page shows no "ended" message', async () => {
    const m = mockApi().on('POST /api/auth/logout', { status: 204 });
    await logout();
    expect(m.callsTo('POST /api/auth/logout')).toHaveLength(1);
    expect(useAuthStore.getState()).toMatchObject({ token: null, user: null, notice: null });
    expect(localStorage.getItem('slotlock.auth')).toBeNull();
    noDraftsLeft();
  });

  it('Sign out while the server cannot be reached still clears everything here', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('offline')));
    await logout().catch(() => {});
    expect(useAuthStore.getState().token).toBeNull();
    noDraftsLeft();
  });

  it('a 401 UNAUTHENTICATED on any request ends the session: drafts go, and sign-in says why', async () => {
    mockApi().on('GET /api/appointments', apiError(401, 'UNAUTHENTICATED', 'Sign in.'));
    await api('/appointments').catch(() => {});
    expect(useAuthStore.getState()).toMatchObject({
      token: null,
      notice: { kind: 'session-ended', draftsRemoved: true },
    });
    noDraftsLeft();
  });

  it('Sign out in another tab of this browser (the token leaves localStorage) ends it here too', () => {
    localStorage.removeItem('slotlock.auth'); // what the other tab did
    act(() => {
      window.dispatchEvent(new StorageEvent('storage', { key: 'slotlock.auth', newValue: null }));
    });
    expect(useAuthStore.getState()).toMatchObject({ token: null, notice: { kind: 'session-ended' } });
    noDraftsLeft();
  });

  it('cached server data is dropped', () => {
    let client!: QueryClient;
    function Probe({ got }: { got: (c: QueryClient) => void }) {
      const c = useQueryClient();
      useEffect(() => void got(c), [c, got]);
      return null;
    }
    render(
      <AppProviders>
        <Probe got={(c) => (client = c)} />
      </AppProviders>,
    );
    client.setQueryData(['appointments', 'detail', 'a1'], makeAppointment());
    act(() => endSession('session-ended'));
    expect(client.getQueryData(['appointments', 'detail', 'a1'])).toBeUndefined();
  });
});

describe('a socket closed with 4001 SESSION_ENDED', () => {
  beforeEach(() => {
    FakeWebSocket.reset();
    vi.stubGlobal('WebSocket', FakeWebSocket);
    sessionStorage.setItem('slotlock.sessionId', 's-mine');
  });

  it('on the appointment page: no reconnect, drafts gone, and the sign-in page says "Your session has ended. Sign in again."', async () => {
    const m = mockApi()
      .on('GET /api/appointments/a1', { status: 200, body: makeAppointment() })
      .on('GET /api/appointments/a1/lock-status', {
        status: 200,
        body: { locked: true, lock: makeLock(alice, 's-mine'), serverTime: SERVER_NOW },
      })
      .on('POST /api/ws-tickets', { status: 200, body: { ticket: 'tk', expiresAt: SERVER_NOW } })
      .on('DELETE /api/appointments/a1/release-lock', apiError(401, 'UNAUTHENTICATED', 'Sign in.'));
    renderWithApp(
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/appointments/:id" element={<Guarded />} />
      </Routes>,
      { path: '/appointments/a1' },
    );
    await screen.findByRole('button', { name: 'Done' });
    const ws = FakeWebSocket.last();
    act(() => {
      ws.open();
      ws.receive({
        seq: 1,
        type: 'snapshot',
        serverTime: SERVER_NOW,
        lock: makeLock(alice, 's-mine'),
        appointment: { id: 'a1', version: 3 },
        presence: [],
        cursors: [],
        queue: [],
      });
    });
    act(() => {
      ws.receive({ seq: 2, type: 'error', code: 'SESSION_ENDED', message: 'Signed out.' });
      ws.drop(4001, 'SESSION_ENDED');
    });

    const notice = await screen.findByTestId('sign-in-notice');
    expect(notice).toHaveTextContent('Your session has ended. Sign in again.');
    expect(notice).toHaveTextContent('Unsaved changes kept in this browser were removed with it.');
    expect(screen.getByRole('heading', { name: 'Sign in to slotlock' })).toBeInTheDocument();
    expect(useAuthStore.getState().token).toBeNull();
    noDraftsLeft();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(m.callsTo('POST /api/ws-tickets')).toHaveLength(1);
  });
});

/** The editor behind the app's guard, as the router has it. */
function Guarded() {
  const me = useAuthStore((s) => s.user);
  return <RequireAuth>{me && <AppointmentEditorPage appointmentId="a1" me={me} />}</RequireAuth>;
}
