import { useEffect, useState } from 'react';
import { motion, AnimatePresence } from 'motion/react';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { LiveRegion } from '@/components/ui/live-region';
import { describeError, isApiError } from '@/lib/api-client';
import { subscribeFeed, useFeedStore } from '@/lib/feed-store';
import { formatCountdown } from '@/lib/server-clock';
import { getSessionId } from '@/lib/session-id';
import type { Offer, User } from '@/lib/api/models';
import { useOfferedAppointment, usePassOffer, useTakeOffer } from '../api/offer-actions';
import { useServerCountdown } from '../hooks/use-server-countdown';
import { useTitleFlag } from '../hooks/use-title-flag';

const offerKey = (o: Offer) => `${o.appointmentId}|${o.sessionId}|${o.deadline}`;

/** A browser notification, only where the person allowed them (asked when they chose to wait). */
function notify(offer: Offer, title: string) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    const n = new Notification('Your turn to edit', {
      body: `${title}: take it within a minute or the next person is asked.`,
      // One per offer, however many tabs of this person are open.
      tag: `slotlock-offer-${offerKey(offer)}`,
    });
    n.onclick = () => window.focus();
  } catch {
    // some browsers allow notifications only from a service worker: the toast and the title remain
  }
}

function OfferCard({ offer, onAnswered }: { offer: Offer; onAnswered: (key: string) => void }) {
  const navigate = useNavigate();
  const appointment = useOfferedAppointment(offer.appointmentId);
  const title = appointment.data?.title ?? 'An appointment';
  const left = useServerCountdown(offer.deadline);
  const take = useTakeOffer();
  const pass = usePassOffer();
  const headingId = `offer-${offer.appointmentId}`;

  const editNow = () =>
    take.mutate(
      { offer, sessionId: getSessionId() },
      {
        onSuccess: () => {
          onAnswered(offerKey(offer));
          // The editor puts the focus in the first field, as after Edit.
          void navigate(`/appointments/${encodeURIComponent(offer.appointmentId)}`, {
            state: { focus: 'first-field' },
          });
        },
        onError: (e) => {
          onAnswered(offerKey(offer));
          if (isApiError(e, 'LOCK_OFFERED') || isApiError(e, 'LOCK_HELD'))
            toast.error('Too late: the lock went to the next person.');
          else toast.error(describeError(e));
        },
      },
    );
  const passIt = () =>
    pass.mutate(offer, {
      onSuccess: () => {
        onAnswered(offerKey(offer));
        toast.info('You passed; the next person in line is asked.');
      },
      onError: (e) => toast.error(describeError(e)),
    });

  return (
    <motion.section
      layout
      initial={{ opacity: 0, y: -8 }}
      animate={{ opacity: 1, y: 0 }}
      exit={{ opacity: 0, y: -8 }}
      aria-labelledby={headingId}
      className="pointer-events-auto w-full rounded-xl bg-white p-4 shadow-lg ring-1 ring-sky-300"
      data-testid="offer-toast"
    >
      <h2 id={headingId} className="text-sm font-semibold text-neutral-900">
        Your turn to edit <q>{title}</q>
      </h2>
      <p className="mt-1 text-sm text-neutral-700">
        The lock is held for you for{' '}
        <span role="timer" className="font-mono font-semibold tabular-nums">
          {formatCountdown(left)}
        </span>
        . After that the next person in line is asked.
      </p>
      <div className="mt-3 flex gap-2">
        <Button
          size="sm"
          variant="primary"
          loading={take.isPending}
          disabled={pass.isPending}
          onClick={editNow}
        >
          Edit now
        </Button>
        <Button size="sm" loading={pass.isPending} disabled={take.isPending} onClick={passIt}>
          Pass
        </Button>
      </div>
    </motion.section>
  );
}

/**
 * The offers of a freed lock to this person, wherever they are in the app: a card with the
 * appointment's title, a live countdown, Edit now and Pass; "(Your turn)" in the tab's title and
 * a browser notification (if allowed) until it is answered or ends.
 */
export function OfferPrompts({ me }: { me: User }) {
  const offers = useFeedStore((s) => s.offers);
  const [answered, setAnswered] = useState<ReadonlySet<string>>(() => new Set());
  const mine = Object.values(offers)
    .filter((o) => o.userId === me.id && !answered.has(offerKey(o)))
    .sort((a, b) => a.deadline.localeCompare(b.deadline));
  useTitleFlag(mine.length > 0);

  // Said once per offer in a polite region (the countdown itself is never read out), with a
  // browser notification from the tab that waited; derived during render, like the lock's news.
  const latest = mine.at(-1) ?? null;
  const offered = useOfferedAppointment(latest?.appointmentId ?? null);
  const [heard, setHeard] = useState<{
    key: string | null;
    message: string;
    offer: Offer | null;
    title: string;
  }>({ key: null, message: '', offer: null, title: '' });
  if (latest && offerKey(latest) !== heard.key && !offered.isPending) {
    const title = offered.data?.title ?? 'an appointment';
    setHeard({
      key: offerKey(latest),
      message: `It's your turn to edit ${title}. Edit now or pass within a minute.`,
      offer: latest,
      title,
    });
  }
  useEffect(() => {
    if (heard.offer && heard.offer.sessionId === getSessionId()) notify(heard.offer, heard.title);
  }, [heard]);

  // An offer that ran out for me is worth a word; one I answered, or that moved on, is not.
  useEffect(
    () =>
      subscribeFeed((frame) => {
        if (frame.type === 'lock.offer_ended' && frame.offer.userId === me.id && frame.reason === 'expired')
          toast.info('Your turn ran out; the next person in line is asked.');
      }),
    [me.id],
  );

  return (
    <>
      <LiveRegion message={heard.message} testId="offer-announcer" />
      <div
        className="pointer-events-none fixed top-16 right-4 z-40 flex w-[min(24rem,calc(100%-2rem))] flex-col gap-2"
        data-testid="offer-prompts"
      >
        <AnimatePresence initial={false}>
          {mine.map((o) => (
            <OfferCard
              key={offerKey(o)}
              offer={o}
              onAnswered={(k) => setAnswered((prev) => new Set(prev).add(k))}
            />
          ))}
        </AnimatePresence>
      </div>
    </>
  );
}
