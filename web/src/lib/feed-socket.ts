import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { dispatchFeedFrame, useFeedStore } from './feed-store';
import { queryKeys } from './query-client';
import { getSessionId } from './session-id';
import { observeServerTime } from './server-clock';
import { endSession } from './sign-out';
import { WsClient, fetchWsTicket, type HaltReason, type SocketFactory } from './ws-client';

/** The server stopped the feed for good (close 4001 or 4008). */
export function onFeedHalt(why: HaltReason) {
  if (why === 'session-ended') endSession('session-ended');
  else
    toast.error('Too many open slotlock tabs; close some and reload.', {
      id: 'too-many-sockets',
      duration: Infinity,
    });
}

/**
 * Opens this tab's feed socket (`/api/updates`, with the tab's `sessionId`) for as long as the
 * calling component is mounted: the app layout, i.e. while signed in, on every page. Besides
 * keeping lists and badges live, this socket keeps the tab's place in an appointment's waiting
 * line while the person is elsewhere in the app.
 */
export function useFeedSocket({ createSocket }: { createSocket?: SocketFactory } = {}) {
  const qc = useQueryClient();
  useEffect(() => {
    const { setConnection, reset } = useFeedStore.getState();
    const client = new WsClient({
      path: '/api/updates',
      sessionId: getSessionId(),
      getTicket: fetchWsTicket,
      onStatus: setConnection,
      onHalt: onFeedHalt,
      createSocket,
      onFrame: (frame) => {
        if (frame.type === 'snapshot' || frame.type === 'pong') observeServerTime(frame.serverTime);
        dispatchFeedFrame(frame);
        // A list on screen patches itself from the frame; one not on screen is fetched afresh
        // when it comes back.
        if (frame.type.startsWith('appointment.'))
          void qc.invalidateQueries({ queryKey: queryKeys.appointmentList(), refetchType: 'none' });
      },
    });
    client.start();
    return () => {
      client.stop();
      reset();
    };
  }, [qc, createSocket]);
}
