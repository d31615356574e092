import { AnimatePresence, motion } from 'motion/react';
import type { ConnectionStatus } from '@/lib/ws-client';

const labels: Partial<Record<ConnectionStatus, string>> = {
  connecting: 'Connecting…',
  reconnecting: 'Offline — reconnecting…',
  'room-full': 'Too many people are viewing this — retrying…',
  refused: 'Not live — too many open tabs',
  closed: 'Offline',
};

/** Shown only while live updates are not flowing. */
export function ConnectionIndicator({ status }: { status: ConnectionStatus }) {
  const label = labels[status];
  return (
    <AnimatePresence>
      {label && (
        <motion.div
          key="conn"
          role="status"
          aria-live="polite"
          initial={{ opacity: 0, y: -4 }}
          // A first connect is usually done within a second: do not flash.
          animate={{ opacity: 1, y: 0, transition: { delay: status === 'connecting' ? 1.5 : 0 } }}
          exit={{ opacity: 0, y: -4 }}
          className="inline-flex items-center gap-2 rounded-full bg-amber-50 px-3 py-1 text-xs font-medium text-amber-800 ring-1 ring-amber-200"
          data-testid="connection-indicator"
        >
          <span className="size-2 animate-pulse rounded-full bg-amber-500" aria-hidden="true" />
          {label}
        </motion.div>
      )}
    </AnimatePresence>
  );
}
