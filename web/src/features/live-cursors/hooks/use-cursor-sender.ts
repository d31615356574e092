import { useEffect, type RefObject } from 'react';
import type { WsClient } from '@/lib/ws-client';
import { formIn, normalise, type Point } from '../lib/position';
import { throttle } from '@/lib/throttle';

/** The server allows 40 frames a second per socket; pointers take at most half. */
export const CURSOR_INTERVAL_MS = 50;

/**
 * Sends this tab's pointer as fractions of the form while it is over the form,
 * at most 20 times a second, and nothing while it is elsewhere.
 */
export function useCursorSender(containerRef: RefObject<HTMLElement | null>, socket: WsClient | null) {
  useEffect(() => {
    const container = containerRef.current;
    if (!container || !socket) return;
    const sender = throttle<Point>((p) => socket.send({ type: 'cursor', x: p.x, y: p.y }), {
      intervalMs: CURSOR_INTERVAL_MS,
    });
    const onMove = (e: PointerEvent) => {
      const p = normalise(e.clientX, e.clientY, formIn(container).getBoundingClientRect());
      if (p) sender.push(p);
      else sender.cancel();
    };
    const onLeave = () => sender.cancel();
    container.addEventListener('pointermove', onMove);
    container.addEventListener('pointerleave', onLeave);
    return () => {
      container.removeEventListener('pointermove', onMove);
      container.removeEventListener('pointerleave', onLeave);
      sender.cancel();
    };
  }, [containerRef, socket]);
}
