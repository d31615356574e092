import type { ReactNode } from 'react';
import { motion } from 'motion/react';
import { cn } from '@/components/ui/cn';
import type { AppointmentLock, Offer } from '@/lib/api/models';
import { Countdown } from './countdown';

/**
 * A banner is a labelled region, not a live region: its countdown ticks every second, and
 * what changes is announced once by the page's LockAnnouncer instead.
 */
function Shell({
  tone,
  label,
  children,
}: {
  tone: 'amber' | 'sky' | 'red';
  label: string;
  children: ReactNode;
}) {
  const tones = {
    amber: 'bg-amber-50 text-amber-950 ring-amber-300',
    sky: 'bg-sky-50 text-sky-950 ring-sky-300',
    red: 'bg-red-50 text-red-950 ring-red-300',
  };
  return (
    <motion.section
      aria-label={label}
      initial={{ opacity: 0, y: -6 }}
      animate={{ opacity: 1, y: 0 }}
      className={cn(
        'flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg px-4 py-3 text-sm ring-1',
        tones[tone],
      )}
      data-testid="lock-banner"
    >
      {children}
    </motion.section>
  );
}

const lockIcon = (
  <svg viewBox="0 0 20 20" className="size-5 shrink-0" fill="currentColor" aria-hidden="true">
    <path
      fillRule="evenodd"
      d="M10 1a4.5 4.5 0 0 0-4.5 4.5V9H5a2 2 0 0 0-2 2v6a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-6a2 2 0 0 0-2-2h-.5V5.5A4.5 4.5 0 0 0 10 1Zm3 8V5.5a3 3 0 1 0-6 0V9h6Z"
      clipRule="evenodd"
    />
  </svg>
);

/** Someone else holds the lock: who, and how long until it expires if they stop. */
export function HeldByOtherBanner({ lock, children }: { lock: AppointmentLock; children?: ReactNode }) {
  return (
    <Shell tone="amber" label="Who is editing">
      {lockIcon}
      <p className="min-w-0 flex-1">
        <strong className="font-semibold">{lock.userInfo.name}</strong>{' '}
        <span className="text-amber-900">({lock.userInfo.email})</span> is editing this appointment. Their
        lock expires in <Countdown until={lock.expiresAt} className="font-mono font-semibold tabular-nums" />{' '}
        unless they keep working.
      </p>
      {children}
    </Shell>
  );
}

export function OtherTabBanner({ children }: { children?: ReactNode }) {
  return (
    <Shell tone="sky" label="Open in another tab">
      {lockIcon}
      <p className="min-w-0 flex-1">
        You have this appointment <strong className="font-semibold">open for editing in another tab</strong>.
      </p>
      {children}
    </Shell>
  );
}

export function TakenOverBanner({ byName, children }: { byName: string; children?: ReactNode }) {
  return (
    <Shell tone="red" label="Taken over">
      <p className="min-w-0 flex-1">
        <strong className="font-semibold">{byName}</strong> took over editing from you. Anything you had not
        saved is kept in this browser.
      </p>
      {children}
    </Shell>
  );
}

/** The free lock is held for the head of the line until the offer's deadline. */
export function OfferBanner({ offer, mine }: { offer: Offer; mine: boolean }) {
  return (
    <Shell tone="sky" label="Offered to the next in line">
      {lockIcon}
      <p className="min-w-0 flex-1">
        {mine ? (
          <>
            <strong className="font-semibold">It&apos;s your turn.</strong> The lock is held for you for{' '}
            <Countdown until={offer.deadline} className="font-mono font-semibold tabular-nums" />: press Edit
            to start.
          </>
        ) : (
          <>
            The lock is offered to <strong className="font-semibold">{offer.name}</strong>{' '}
            <span className="text-sky-900">({offer.email})</span>, next in line, for{' '}
            <Countdown until={offer.deadline} className="font-mono font-semibold tabular-nums" />. If they do
            not take it, the next person is asked.
          </>
        )}
      </p>
    </Shell>
  );
}
