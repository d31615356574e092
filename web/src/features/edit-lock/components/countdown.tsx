import { formatCountdown } from '@/lib/server-clock';
import { useCountdown } from '../hooks/use-countdown';

/**
 * m:ss to `until`, corrected for the server's clock. A `timer` is not a live region: it is
 * never read out as it ticks (the LockAnnouncer speaks at thresholds).
 */
export function Countdown({ until, className }: { until: string; className?: string }) {
  const ms = useCountdown(until);
  return (
    <span role="timer" className={className ?? 'font-mono tabular-nums'}>
      {formatCountdown(ms)}
    </span>
  );
}
