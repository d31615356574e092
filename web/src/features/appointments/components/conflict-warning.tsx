import { Link } from 'react-router';
import { cn } from '@/components/ui/cn';
import { useClinicTime } from '@/lib/clinic-time';
import type { Conflict } from '@/lib/api/models';

interface Props {
  conflicts: Conflict[];
  /** e.g. "Saved. It overlaps with" after a save; the default suits a check before saving. */
  heading?: string;
  className?: string;
}

/**
 * A polite warning (not an error: overlaps are allowed) listing the other appointments in the
 * same location whose time overlaps, their times in the clinic's zone (the page says which zone,
 * once). The live region is always in the page so a screen reader
 * hears the warning when it appears; links open in a new tab so nothing typed here is lost.
 */
export function ConflictWarning({ conflicts, heading, className }: Props) {
  const t = useClinicTime();
  const n = conflicts.length;
  return (
    <div role="status" aria-live="polite" className={className} data-testid="conflict-warning">
      {n > 0 && (
        <div className={cn('rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200')}>
          <p className="font-medium">
            {heading ??
              `${n === 1 ? 'Another appointment' : `${n} other appointments`} in ${conflicts[0]!.location} ${n === 1 ? 'overlaps' : 'overlap'} this time:`}
          </p>
          <ul className="mt-1.5 space-y-1">
            {conflicts.map((c) => (
              <li key={c.id} className="flex flex-wrap items-baseline gap-x-2">
                <span className="text-amber-900 tabular-nums">
                  {t.date(c.startsAt)}, {t.timeRange(c.startsAt, c.endsAt)}
                </span>
                <Link
                  to={`/appointments/${encodeURIComponent(c.id)}`}
                  target="_blank"
                  rel="noopener"
                  className="inline-flex min-h-6 items-center font-medium underline underline-offset-2 hover:text-amber-950"
                >
                  {c.title}
                  <span className="sr-only"> (opens in a new tab)</span>
                </Link>
              </li>
            ))}
          </ul>
          <p className="mt-1.5 text-xs text-amber-800">You can still save; this is only a warning.</p>
        </div>
      )}
    </div>
  );
}
