import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { queryKeys } from '@/lib/query-client';
import { getSessionId } from '@/lib/session-id';
import { observeServerTime } from '@/lib/server-clock';
import { endSession } from '@/lib/sign-out';
import { WsClient, fetchWsTicket, type HaltReason } from '@/lib/ws-client';
import { useLockFeedStore } from '../stores/lock-feed-store';

/** The server stopped the feed for good (close 4001 or 4008). */
export function onFeedHalt(why: HaltReason) {
  if (why === 'session-ended') endSession('session-ended');
  else
    toast.error('Too many open slotlock tabs; close some and reload.', {
      id: 'too-many-sockets',
      duration: Infinity,
    });
}

/** Keeps the list's lock badges live from `/api/updates`. */
export function useLockFeed() {
  const qc = useQueryClient();
  useEffect(() => {
    const { apply, setConnection, reset } = useLockFeedStore.getState();
    const client = new WsClient({
      path: '/api/updates',
      sessionId: getSessionId(),
      getTicket: fetchWsTicket,
      onStatus: setConnection,
      onHalt: onFeedHalt,
      onFrame: (frame) => {
        if (frame.type === 'snapshot' || frame.type === 'pong') observeServerTime(frame.serverTime);
        if (frame.type === 'appointment.updated')
          void qc.invalidateQueries({ queryKey: queryKeys.appointmentList() });
        apply(frame);
      },
    });
    client.start();
    return () => {
      client.stop();
      reset();
    };
  }, [qc]);
}
