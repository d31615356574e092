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

  // Each window draws the shared fractions onto its own form's box. Layout is read only when it
  // can have changed — a resize, or the form swapped (editing starts or stops) — never per cursor frame.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let observedForm: Element | null = null;
    const measure = () => {
      const form = formIn(container);
      if (form !== observedForm) {
        if (observedForm) resize?.unobserve(observedForm);
        observedForm = form;
        resize?.observe(form);
      }
      const c = container.getBoundingClientRect();
      const f = form.getBoundingClientRect();
      const next = { left: f.left - c.left, top: f.top - c.top, width: f.width, height: f.height };
      if (!sameBox(next, box.get())) box.set(next);
    };
    const resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    resize?.observe(container);
    // Structure only (childList): the ticking countdown's text and typed values do not count.
    const swapped =
      typeof MutationObserver === 'undefined'
        ? null
        : new MutationObserver(() => {
            if (formIn(container) !== observedForm) measure();
          });
    swapped?.observe(container, { childList: true, subtree: true });
    measure();
    window.addEventListener('resize', measure);
    return () => {
      resize?.disconnect();
      swapped?.disconnect();
      window.removeEventListener('resize', measure);
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
