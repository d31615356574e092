import type { ComponentType } from 'react';
import { act, screen, waitFor } from '@testing-library/react';
import { toast } from 'sonner';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { AppointmentLock, User } from '@/lib/api/models';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { SERVER_NOW, alice, makeAppointment } from '@/testing/fixtures';
import { mockApi } from '@/testing/mock-api';
import { renderWithApp } from '@/testing/render';
import { AppointmentEditorPage, type ConflictsSlotProps } from '../components/appointment-editor-page';

/** The tab's session id in every editor test. */
export const MY_SESSION = 's-mine';

/** The editor page on appointment a1 (version 3) over a mocked API, as `me`, with `lock` held or not. */
export function renderEditor({
  me = alice as User,
  lock = null as AppointmentLock | null,
  appointment = { status: 200, body: makeAppointment() } as { status: number; body?: unknown },
  timeZone = 'UTC',
  config = { status: 200, body: { timeZone, demo: false } } as { status: number; body?: unknown },
  Conflicts = undefined as ComponentType<ConflictsSlotProps> | undefined,
} = {}) {
  sessionStorage.setItem('slotlock.sessionId', MY_SESSION);
  const api = mockApi()
    .on('GET /api/config', config)
    .on('GET /api/appointments/a1', appointment)
    .on('GET /api/appointments/a1/lock-status', {
      status: 200,
      body: { locked: !!lock, lock, serverTime: SERVER_NOW },
    })
    .on('POST /api/ws-tickets', { status: 200, body: { ticket: 'tk', expiresAt: SERVER_NOW } })
    .on('DELETE /api/appointments/a1/release-lock', { status: 200, body: { released: true } })
    .on('GET /api/appointments/a1/history', { status: 200, body: { items: [] } });
  // The list stands in for where Delete goes.
  const view = renderWithApp(
    <Routes>
      <Route
        path="/appointments/:id"
        element={<AppointmentEditorPage appointmentId="a1" me={me} Conflicts={Conflicts} />}
      />
      <Route path="/" element={<p>The appointments list</p>} />
    </Routes>,
    { path: '/appointments/a1' },
  );
  return { api, ...view };
}

export const editorLoaded = () => screen.findByRole('heading', { name: 'Dental check-up' });

/** The room's first frame. */
export function roomSnapshot(lock: AppointmentLock | null, version = 3) {
  return {
    seq: 1,
    type: 'snapshot',
    serverTime: SERVER_NOW,
    lock,
    appointment: { id: 'a1', version },
    presence: [],
    cursors: [],
    queue: [],
    offer: null,
    draft: null,
  };
}

/** The room's socket, opened, with its snapshot delivered. */
export async function openRoom(lock: AppointmentLock | null, over: Record<string, unknown> = {}) {
  await waitFor(() => expect(FakeWebSocket.instances.length).toBeGreaterThan(0));
  const ws = FakeWebSocket.last();
  act(() => {
    ws.open();
    ws.receive({ ...roomSnapshot(lock), ...over });
  });
  return ws;
}

/** The `draft` frames this tab sent, oldest first. */
export function sentDrafts(ws: FakeWebSocket) {
  return ws.sent
    .map((m) => JSON.parse(m) as { type: string; fields?: Record<string, string> })
    .filter((f) => f.type === 'draft')
    .map((f) => f.fields);
}

/** A fake WebSocket and the server's clock at SERVER_NOW (fake timers that still advance), reset after each test. */
export function setUpEditorTestEnvironment() {
  beforeEach(() => {
    FakeWebSocket.reset();
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.useFakeTimers({ shouldAdvanceTime: true });
    vi.setSystemTime(new Date(SERVER_NOW));
  });
  afterEach(() => {
    toast.dismiss();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
}
