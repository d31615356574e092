import { memo } from 'react';
import { Link, useNavigate } from 'react-router';
import { useFeedStore } from '@/lib/feed-store';
import type { ClinicTime } from '@/lib/clinic-time';
import type { AppointmentListItem } from '@/lib/api/models';
import { LockBadge } from './lock-badge';
import { StatusBadge } from './status-badge';

/** One row: it subscribes to its own appointment's lock only, so a frame re-renders one row. */
export const AppointmentRow = memo(function AppointmentRow({
  a,
  t,
}: {
  a: AppointmentListItem;
  t: ClinicTime;
}) {
  const navigate = useNavigate();
  const lock = useFeedStore((s) => (s.synced ? s.locks[a.id] : a.lock));
  return (
    <tr
      className="grid cursor-pointer grid-cols-[1fr_auto] gap-x-3 gap-y-1 px-4 py-3 hover:bg-neutral-50 md:table-row md:p-0"
      onClick={() => navigate(`/appointments/${a.id}`)}
      data-testid="appointment-row"
    >
      <td className="text-neutral-700 tabular-nums md:px-4 md:py-3 md:whitespace-nowrap">
        <time dateTime={a.startsAt} className="font-medium text-neutral-900">
          {t.timeRange(a.startsAt, a.endsAt)}
        </time>
      </td>
      <td className="col-span-2 row-start-2 md:px-4 md:py-3">
        <Link
          to={`/appointments/${a.id}`}
          className="inline-flex min-h-6 items-center font-medium text-neutral-900 hover:underline"
          onClick={(e) => e.stopPropagation()}
        >
          {a.title}
        </Link>
        {a.location && <div className="text-xs text-neutral-600">{a.location}</div>}
      </td>
      <td className="col-span-2 text-neutral-700 md:px-4 md:py-3">
        <div>{a.clientName}</div>
        <div className="text-xs break-all text-neutral-600">{a.clientEmail}</div>
      </td>
      <td className="col-start-2 row-start-1 md:px-4 md:py-3">
        <StatusBadge status={a.status} />
      </td>
      <td className="col-span-2 md:px-4 md:py-3">
        {lock ? (
          <LockBadge lock={lock} />
        ) : (
          <span className="hidden text-neutral-600 md:inline">
            <span aria-hidden="true">—</span>
            <span className="sr-only">Free</span>
          </span>
        )}
      </td>
    </tr>
  );
});
