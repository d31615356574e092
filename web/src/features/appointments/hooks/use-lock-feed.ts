import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '@/lib/query-client';
import { getSessionId } from '@/lib/session-id';
import { observeServerTime } from '@/lib/server-clock';
import { WsClient, fetchWsTicket } from '@/lib/ws-client';
import { useLockFeedStore } from '../stores/lock-feed-store';

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
