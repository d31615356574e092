import { useState } from 'react';
import { LiveRegion } from '@/components/ui/live-region';
import type { AppointmentLock, Offer } from '@/lib/api/models';
import { useLockAnnouncement } from '../hooks/use-lock-announcement';
import { useLockStore, type LockMode } from '../stores/lock-store';

const offerKey = (o: Offer | null) => (o ? `${o.userId}|${o.sessionId}|${o.deadline}` : null);

/**
 * The page's one polite live region for the lock (see useLockAnnouncement for when it speaks),
 * also saying once whom a freed lock is offered to, and that the appointment was deleted.
 */
export function LockAnnouncer({
  lock,
  mode,
  meId,
}: {
  lock: AppointmentLock | null;
  mode: LockMode;
  meId?: string;
}) {
  const controlRequest = useLockStore((s) => s.controlRequest);
  const deleted = useLockStore((s) => s.deleted);
  const offer = useLockStore((s) => s.offer);
  const lockMessage = useLockAnnouncement(lock, mode, controlRequest);
  // Whichever changed last is said: the lock's news or a new offer (derived during render).
  const [said, setSaid] = useState({ lockMessage, offer: offerKey(offer), message: lockMessage });
  if (said.lockMessage !== lockMessage || said.offer !== offerKey(offer)) {
    const offerChanged = said.offer !== offerKey(offer) && offer;
    setSaid({
      lockMessage,
      offer: offerKey(offer),
      message: offerChanged
        ? offer.userId === meId
          ? "It's your turn: the lock is held for you for a minute. Press Edit to start."
          : `The lock is offered to ${offer.name}, next in line.`
        : said.lockMessage !== lockMessage
          ? lockMessage
          : said.message,
    });
  }
  const gone = deleted && `${deleted.by?.name ?? 'Someone'} deleted this appointment.`;
  return <LiveRegion message={gone || said.message} testId="lock-announcer" />;
}
