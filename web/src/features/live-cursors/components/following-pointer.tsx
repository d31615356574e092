import { useEffect, useState } from 'react';
import {
  motion,
  useMotionValue,
  useReducedMotion,
  useSpring,
  useTransform,
  type MotionValue,
} from 'motion/react';
import { readableOnWhiteText } from '@/lib/colors';
import type { Box } from '../lib/position';
import { useCursorStore } from '../stores/cursor-store';

/** A pointer that has not moved for this long fades out until it moves again. */
export const IDLE_AFTER_MS = 5_000;

const spring = { stiffness: 350, damping: 32, mass: 0.5 };

interface Props {
  sessionId: string;
  /** The form's box inside the overlay, in pixels. */
  box: MotionValue<Box>;
  editing: boolean;
}

/**
 * One viewer's pointer in the style of Aceternity UI's Following Pointer: a coloured
 * arrow and a pill with the name. Positions come from the store through a transient
 * subscription into motion values; React renders only when it appears, idles or leaves.
 */
export function FollowingPointer({ sessionId, box, editing }: Props) {
  const [initial] = useState(() => useCursorStore.getState().cursors[sessionId]);
  const reduced = useReducedMotion() ?? false;
  const rawX = useMotionValue(initial?.x ?? 0);
  const rawY = useMotionValue(initial?.y ?? 0);
  const springX = useSpring(rawX, spring);
  const springY = useSpring(rawY, spring);
  const fx = reduced ? rawX : springX;
  const fy = reduced ? rawY : springY;
  const left = useTransform(() => box.get().left + fx.get() * box.get().width);
  const top = useTransform(() => box.get().top + fy.get() * box.get().height);
  const [active, setActive] = useState(() => !!initial && Date.now() - initial.movedAt < IDLE_AFTER_MS);

  useEffect(() => {
    let idle: ReturnType<typeof setTimeout> | null = null;
    const armIdle = (movedAt: number) => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => setActive(false), Math.max(0, movedAt + IDLE_AFTER_MS - Date.now()));
    };
    const first = useCursorStore.getState().cursors[sessionId];
    if (first) armIdle(first.movedAt);
    const unsubscribe = useCursorStore.subscribe((s, prev) => {
      const c = s.cursors[sessionId];
      if (!c || c === prev.cursors[sessionId]) return;
      rawX.set(c.x);
      rawY.set(c.y);
      setActive(true);
      armIdle(c.movedAt);
    });
    return () => {
      unsubscribe();
      if (idle) clearTimeout(idle);
    };
  }, [sessionId, rawX, rawY]);

  const name = initial?.name ?? '';
  const color = readableOnWhiteText(initial?.color ?? '#525252');
  const hidden = { opacity: 0, scale: reduced ? 1 : 0.4 };

  return (
    <motion.div
      className="pointer-events-none absolute top-0 left-0 z-20 origin-top-left"
      style={{ x: left, y: top }}
      initial={hidden}
      animate={active ? { opacity: 1, scale: 1 } : hidden}
      exit={hidden}
      transition={{ duration: reduced ? 0.12 : 0.2, ease: 'easeOut' }}
      data-testid="live-cursor"
      data-session-id={sessionId}
      data-active={active}
      aria-hidden="true"
    >
      <svg
        viewBox="0 0 16 16"
        className="absolute -top-px -left-px size-6 drop-shadow-sm"
        style={{ color }}
        fill="currentColor"
        stroke="white"
        strokeWidth="1.2"
        strokeLinejoin="round"
      >
        <path d="M1.5 1.5 15 6.8 8.6 8.6 6.8 15Z" />
      </svg>
      <div
        className="absolute top-5 left-5 rounded-full px-2.5 py-1.5 text-xs leading-none font-medium whitespace-nowrap text-white shadow-md ring-1 ring-white/40"
        style={{ backgroundColor: color }}
        data-testid="live-cursor-tag"
      >
        {name}
        {editing && <span className="ml-1 font-normal">· editing</span>}
      </div>
    </motion.div>
  );
}
