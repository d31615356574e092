import { useEffect } from 'react';
import type { WsClient } from '@/lib/ws-client';
import { useCursorStore } from '../stores/cursor-store';

/** Feeds the cursor store from the appointment's socket. */
export function useCursorFeed(socket: WsClient | null, meUserId: string | null) {
  useEffect(() => {
    const store = useCursorStore.getState();
    store.reset(meUserId);
    if (!socket) return;
    const unsubscribe = socket.subscribe((frame) => useCursorStore.getState().apply(frame));
    return () => {
      unsubscribe();
      useCursorStore.getState().reset(meUserId);
    };
  }, [socket, meUserId]);
}
