import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { queryKeys } from '@/lib/query-client';
import { observeServerTime } from '@/lib/server-clock';
import { endSession } from '@/lib/sign-out';
import { WsClient, fetchWsTicket, type HaltReason } from '@/lib/ws-client';
import type { ServerFrame } from '@/lib/ws-frames';
import { historyKey } from '../api/get-history';
import { controlAnswerText } from '../lib/control-answer';
import { useLockStore, type LockRoomState } from '../stores/lock-store';

interface Me {
  userId: string;
  sessionId: string;
}

/** Plain-words toasts for what happened to *this tab's* lock. */
export function notifyFrame(prev: LockRoomState, frame: ServerFrame, me: Me) {
  const wasMine = prev.lock?.sessionId === me.sessionId && prev.lock.userId === me.userId;
  switch (frame.type) {
    case 'lock.taken_over':
      if (wasMine)
        toast.warning(`${frame.by?.name ?? 'An admin'} took over editing.`, {
          description: 'You can no longer save here. Your unsaved changes are kept in this browser.',
          duration: 10_000,
        });
      break;
    case 'lock.expired':
      if (wasMine)
        toast.warning('Your editing lock expired after a period of inactivity.', {
          description: 'Your unsaved changes are kept in this browser. Press Edit to continue.',
          duration: 10_000,
        });
      break;
    case 'lock.released':
      if (wasMine && frame.reason === 'control')
        // The frame names no one; the pending request does.
        toast.warning(
          `Editing passed to ${frame.by?.name ?? prev.controlRequest?.by.name ?? 'an admin'}, who asked for control.`,
          {
            description: 'Your unsaved changes are kept in this browser.',
            duration: 10_000,
          },
        );
      else if (wasMine && frame.reason === 'force')
        toast.warning(`${frame.by?.name ?? 'An admin'} released your editing lock.`, {
          description: 'You can no longer save here. Your unsaved changes are kept in this browser.',
          duration: 10_000,
        });
      else if (wasMine && frame.reason === 'disconnect')
        toast.warning('Your editing lock was released while this tab was offline.', {
          description: 'Your unsaved changes are kept in this browser.',
        });
      // The server's news of this tab's own Done can beat the answer to its DELETE: no toast then.
      else if (wasMine && prev.releasing !== prev.lock?.fencingToken)
        toast.info('Editing moved to another tab or was ended elsewhere.', {
          description: 'Your unsaved changes are kept in this browser.',
        });
      break;
    case 'lock.granted': {
      if (frame.lock.sessionId !== me.sessionId || frame.lock.userId !== me.userId) break;
      const answer = prev.controlAnswer?.by?.userId === me.userId ? prev.controlAnswer : null;
      if (answer) toast.success(controlAnswerText(answer), { description: 'You are now editing.' });
      else toast.success("It's your turn: you are now editing this appointment.");
      break;
    }
    case 'control.requested':
      if (wasMine && frame.by)
        toast.warning(`${frame.by.name} asks to take over editing.`, {
          description: 'Keep editing to stay in control, or hand over.',
        });
      break;
    case 'control.declined':
      if (frame.by?.userId === me.userId)
        toast.info(`${frame.holder?.name ?? 'The editor'} kept working, so they keep control.`, {
          description: 'You can still take over after confirming.',
        });
      break;
    default:
      break;
  }
}

/** The server stopped this page's socket for good (close 4001 or 4008). */
export function onRoomHalt(why: HaltReason) {
  if (why === 'session-ended') endSession('session-ended');
  else
    toast.error('Too many open tabs on this appointment; close some and reload.', {
      id: 'too-many-sockets',
      duration: Infinity,
    });
}

/**
 * The appointment's WebSocket: feeds the lock store, corrects the clock,
 * refreshes server data on `appointment.updated`, and hands the client to
 * whoever else needs the socket (live cursors, activity reports).
 */
export function useRoomConnection(appointmentId: string, me: Me): WsClient | null {
  const qc = useQueryClient();
  const [client, setClient] = useState<WsClient | null>(null);
  const { userId, sessionId } = me;

  useEffect(() => {
    const store = useLockStore;
    store.getState().reset(appointmentId);
    const c = new WsClient({
      path: `/api/appointments/${encodeURIComponent(appointmentId)}/updates`,
      sessionId,
      getTicket: fetchWsTicket,
      onStatus: (status) => store.getState().dispatch({ type: 'local/connection', status }),
      onResync: () => void qc.invalidateQueries({ queryKey: queryKeys.appointment(appointmentId) }),
      onHalt: onRoomHalt,
      onFrame: (frame) => {
        if (frame.type === 'snapshot' || frame.type === 'pong') observeServerTime(frame.serverTime);
        const prev = store.getState();
        store.getState().dispatch(frame);
        notifyFrame(prev, frame, { userId, sessionId });
        if (frame.type === 'appointment.updated' || (frame.type === 'snapshot' && 'appointment' in frame)) {
          const cached = qc.getQueryData<{ version: number }>(queryKeys.appointment(appointmentId));
          if (!cached || cached.version < frame.appointment.version)
            void qc.invalidateQueries({ queryKey: queryKeys.appointments });
          else if (frame.type === 'appointment.updated')
            void qc.invalidateQueries({ queryKey: historyKey(appointmentId) });
        }
        // The server closes the room after this; there is nothing to reconnect to.
        if (frame.type === 'appointment.deleted') {
          c.stop();
          void qc.invalidateQueries({ queryKey: queryKeys.appointmentList() });
        }
      },
    });
    c.start();
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the client is created by this effect and shared with children
    setClient(c);
    return () => {
      c.stop();
      setClient(null);
    };
  }, [appointmentId, userId, sessionId, qc]);

  return client;
}
