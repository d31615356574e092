import { AnimatePresence, motion } from 'motion/react';
import { readableOnWhiteText } from '@/lib/colors';
import type { Viewer } from '@/lib/api/models';

function initials(name: string) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join('');
}

/**
 * Who has this appointment open (one avatar per person): a list whose items carry each name
 * as text for assistive technology; the initials are decoration.
 */
export function PresenceList({ viewers, meId }: { viewers: Viewer[]; meId: string }) {
  const people = [...new Map(viewers.map((v) => [v.userId, v])).values()];
  if (people.length === 0) return null;
  return (
    <div className="flex items-center gap-2">
      <ul className="flex -space-x-1.5" aria-label="Viewing this appointment">
        <AnimatePresence initial={false}>
          {people.map((v) => {
            const name = `${v.name}${v.userId === meId ? ' (you)' : ''}`;
            return (
              <motion.li
                key={v.userId}
                initial={{ opacity: 0, scale: 0.6 }}
                animate={{ opacity: 1, scale: 1 }}
                exit={{ opacity: 0, scale: 0.6 }}
                title={name}
                className="flex size-7 items-center justify-center rounded-full text-[11px] font-semibold text-white ring-2 ring-white"
                style={{ backgroundColor: readableOnWhiteText(v.color) }}
                data-testid="viewer"
              >
                <span aria-hidden="true">{initials(v.name)}</span>
                <span className="sr-only">{name}</span>
              </motion.li>
            );
          })}
        </AnimatePresence>
      </ul>
      <span className="text-xs text-neutral-600" aria-hidden="true">
        {people.length === 1 ? 'Only you' : `${people.length} viewing`}
      </span>
    </div>
  );
}
