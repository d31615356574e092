import { useEffect, useState, type RefObject } from 'react';
import { AnimatePresence, motionValue } from 'motion/react';
import { useShallow } from 'zustand/react/shallow';
import type { WsClient } from '@/lib/ws-client';
import { useCursorFeed } from '../hooks/use-cursor-feed';
import { useCursorSender } from '../hooks/use-cursor-sender';
import { formIn, type Box } from '../lib/position';
import { useCursorStore } from '../stores/cursor-store';
import { FollowingPointer } from './following-pointer';

export interface LiveCursorsProps {
  appointmentId: string;
  /** The area the overlay covers; positions are fractions of the `<form>` inside it. */
  containerRef: RefObject<HTMLDivElement | null>;
  /** The appointment's socket: `subscribe` for `cursors` frames, `send({type:'cursor',x,y})`. */
  socket: WsClient | null;
  /** The viewer: their own pointers are never drawn. */
  userId?: string;
}

const sameBox = (a: Box, b: Box) =>
  a.left === b.left && a.top === b.top && a.width === b.width && a.height === b.height;

/** Other viewers' pointers over the form, and this tab's pointer sent to them. */
export function LiveCursors({ containerRef, socket, userId }: LiveCursorsProps) {
  useCursorFeed(socket, userId ?? null);
  useCursorSender(containerRef, socket);
  const [box] = useState(() => motionValue<Box>({ left: 0, top: 0, width: 0, height: 0 }));
  const sessionIds = useCursorStore(useShallow((s) => Object.keys(s.cursors)));
  const holderSessionId = useCursorStore((s) => s.holderSessionId);

  // Each window draws the shared fractions onto its own form's box.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const measure = () => {
      const c = container.getBoundingClientRect();
      const f = formIn(container).getBoundingClientRect();
      const next = { left: f.left - c.left, top: f.top - c.top, width: f.width, height: f.height };
      if (!sameBox(next, box.get())) box.set(next);
    };
    measure();
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(container);
    window.addEventListener('resize', measure);
    // The form is swapped when editing starts or stops; a cursor frame is a cheap moment to re-check.
    const unsubscribe = useCursorStore.subscribe(measure);
    return () => {
      observer?.disconnect();
      window.removeEventListener('resize', measure);
      unsubscribe();
    };
  }, [containerRef, box]);

  return (
    <div className="pointer-events-none absolute inset-0" data-testid="live-cursors">
      <AnimatePresence>
        {sessionIds.map((id) => (
          <FollowingPointer key={id} sessionId={id} box={box} editing={id === holderSessionId} />
        ))}
      </AnimatePresence>
    </div>
  );
}
