import { AnimatePresence, motion } from 'motion/react';
import type { Viewer } from '@/lib/types';

function initials(name: string) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join('');
}

/** Who has this appointment open (one avatar per person). */
export function PresenceList({ viewers, meId }: { viewers: Viewer[]; meId: string }) {
  const people = [...new Map(viewers.map((v) => [v.userId, v])).values()];
  if (people.length === 0) return null;
  return (
    <div className="flex items-center gap-2" aria-label="People viewing this appointment">
      <div className="flex -space-x-1.5">
        <AnimatePresence initial={false}>
          {people.map((v) => (
            <motion.span
              key={v.userId}
              initial={{ opacity: 0, scale: 0.6 }}
              animate={{ opacity: 1, scale: 1 }}
              exit={{ opacity: 0, scale: 0.6 }}
              title={`${v.name}${v.userId === meId ? ' (you)' : ''}`}
              className="flex size-7 items-center justify-center rounded-full text-[11px] font-semibold text-white ring-2 ring-white"
              style={{ backgroundColor: v.color }}
            >
              {initials(v.name)}
            </motion.span>
          ))}
        </AnimatePresence>
      </div>
      <span className="text-xs text-neutral-500">
        {people.length === 1 ? 'Only you' : `${people.length} viewing`}
      </span>
    </div>
  );
}
