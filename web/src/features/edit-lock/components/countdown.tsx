import { formatCountdown } from '@/lib/server-clock';
import { useCountdown } from '../hooks/use-countdown';

/** m:ss to `until`, corrected for the server's clock. A `timer` is not announced every second. */
export function Countdown({ until, className }: { until: string; className?: string }) {
  const ms = useCountdown(until);
  return (
    <span
      role="timer"
      aria-label={`${formatCountdown(ms)} left`}
      className={className ?? 'font-mono tabular-nums'}
    >
      {formatCountdown(ms)}
    </span>
  );
}
