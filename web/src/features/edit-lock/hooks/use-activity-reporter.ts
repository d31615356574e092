import { useCallback, useRef } from 'react';
import type { WsClient } from '@/lib/ws-client';
import { heartbeat } from '../api/heartbeat';
import { useLockStore } from '../stores/lock-store';

export const ACTIVITY_EVERY_MS = 5_000;
const HEARTBEAT_FALLBACK_EVERY_MS = 15_000;

/**
 * Reports that the holder is really working (typing, clicking, moving in the form):
 * at most one `activity` frame per 5 s; a REST heartbeat when the socket is down.
 */
export function useActivityReporter(socket: WsClient | null, appointmentId: string, sessionId: string) {
  const lastSent = useRef(0);
  const lastHeartbeat = useRef(0);
  return useCallback(() => {
    const now = Date.now();
    if (now - lastSent.current < ACTIVITY_EVERY_MS) return;
    lastSent.current = now;
    if (socket?.send({ type: 'activity' })) return;
    if (now - lastHeartbeat.current < HEARTBEAT_FALLBACK_EVERY_MS) return;
    lastHeartbeat.current = now;
    heartbeat(appointmentId, sessionId)
      .then((lock) => useLockStore.getState().dispatch({ type: 'local/lock', lock }))
      .catch(() => {
        // a lost lock arrives as a frame or as 423 on save
      });
  }, [socket, appointmentId, sessionId]);
}
