import { useState } from 'react';
import { AnimatePresence, motion } from 'motion/react';
import { Button } from '@/components/ui/button';
import { formatCountdown } from '@/lib/server-clock';
import type { AppointmentLock } from '@/lib/api/models';
import { useCountdown } from '../hooks/use-countdown';
import { useLockStore } from '../stores/lock-store';
import { Countdown } from './countdown';

export const EXPIRY_WARNING_MS = 60_000;

interface Props {
  lock: AppointmentLock;
  userId: string;
  keepEditing: { mutate: () => void; isPending: boolean };
  handOver: () => void;
}

const box = 'flex flex-wrap items-center justify-between gap-3 rounded-lg px-4 py-3 text-sm ring-1';
const fade = {
  initial: { opacity: 0, height: 0 },
  animate: { opacity: 1, height: 'auto' },
  exit: { opacity: 0, height: 0 },
};

/**
 * The holder's two warnings: the lock is about to expire, and an admin asks to take over.
 * Labelled regions, not alerts: their countdowns tick, and the LockAnnouncer speaks each
 * warning once (and the expiry again at ten seconds).
 */
export function HolderAlerts({ lock, userId, keepEditing, handOver }: Props) {
  const controlRequest = useLockStore((s) => s.controlRequest);
  const [keptControlFor, setKeptControlFor] = useState<string | null>(null);
  const left = useCountdown(lock.expiresAt);
  const expiring = left <= EXPIRY_WARNING_MS;
  const askedBy = controlRequest && controlRequest.by.userId !== userId ? controlRequest : null;
  const showControl = askedBy && keptControlFor !== askedBy.deadline;

  return (
    <AnimatePresence>
      {expiring && (
        <motion.section
          key="expiry"
          aria-label="Your lock expires soon"
          {...fade}
          className={`${box} bg-amber-50 text-amber-950 ring-amber-300`}
        >
          <p>
            Your editing lock expires in <strong className="font-mono">{formatCountdown(left)}</strong>{' '}
            because nothing happened for a while.
          </p>
          <Button
            variant="warning"
            size="sm"
            loading={keepEditing.isPending}
            onClick={() => keepEditing.mutate()}
          >
            Keep editing
          </Button>
        </motion.section>
      )}
      {showControl && (
        <motion.section
          key="control"
          aria-label="Request to take over"
          {...fade}
          className={`${box} bg-violet-50 text-violet-950 ring-violet-300`}
        >
          <p>
            <strong>{askedBy.by.name}</strong> asks to take over editing. Control passes to them in{' '}
            <Countdown until={askedBy.deadline} className="font-mono font-semibold" /> unless you keep
            editing.
          </p>
          <div className="flex gap-2">
            <Button
              size="sm"
              onClick={() => {
                setKeptControlFor(askedBy.deadline);
                keepEditing.mutate();
              }}
            >
              Keep editing
            </Button>
            <Button size="sm" variant="primary" onClick={handOver}>
              Save and hand over
            </Button>
          </div>
        </motion.section>
      )}
    </AnimatePresence>
  );
}
