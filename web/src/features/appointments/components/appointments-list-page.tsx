import { Link, useNavigate } from 'react-router';
import { ConnectionIndicator } from '@/components/ui/connection-indicator';
import { Spinner } from '@/components/ui/spinner';
import { describeError } from '@/lib/api-client';
import { formatDay, formatTimeRange } from '@/lib/format';
import { useAppointments } from '../api/get-appointments';
import { useLockFeed } from '../hooks/use-lock-feed';
import { useLockFeedStore } from '../stores/lock-feed-store';
import { LockBadge } from './lock-badge';
import { StatusBadge } from './status-badge';

export function AppointmentsListPage() {
  useLockFeed();
  const { data, isPending, error } = useAppointments();
  const feed = useLockFeedStore();
  const navigate = useNavigate();

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Appointments</h1>
          <p className="text-sm text-neutral-500">Open one to view it live; press Edit to change it.</p>
        </div>
        <ConnectionIndicator status={feed.connection} />
      </div>

      {isPending && (
        <div className="flex items-center gap-2 py-10 text-sm text-neutral-500">
          <Spinner className="size-4" /> Loading appointments…
        </div>
      )}
      {error && <p className="rounded-md bg-red-50 p-4 text-sm text-red-700">{describeError(error)}</p>}

      {data && (
        <div className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-neutral-200">
          <table className="w-full text-left text-sm">
            <thead className="hidden bg-neutral-50 text-xs tracking-wide text-neutral-500 uppercase md:table-header-group">
              <tr>
                <th scope="col" className="px-4 py-3 font-medium">
                  When
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Title
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Client
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Status
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Editing
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-neutral-100">
              {data.map((a) => {
                const lock = feed.synced ? feed.locks[a.id] : a.lock;
                return (
                  <tr
                    key={a.id}
                    className="grid cursor-pointer grid-cols-[1fr_auto] gap-x-3 gap-y-1 px-4 py-3 hover:bg-neutral-50 md:table-row md:p-0"
                    onClick={() => navigate(`/appointments/${a.id}`)}
                  >
                    <td className="text-neutral-600 tabular-nums md:px-4 md:py-3">
                      <div className="font-medium text-neutral-900">{formatDay(a.startsAt)}</div>
                      <div className="text-xs">{formatTimeRange(a.startsAt, a.endsAt)}</div>
                    </td>
                    <td className="col-span-2 row-start-2 md:px-4 md:py-3">
                      <Link
                        to={`/appointments/${a.id}`}
                        className="font-medium text-neutral-900 hover:underline"
                        onClick={(e) => e.stopPropagation()}
                      >
                        {a.title}
                      </Link>
                    </td>
                    <td className="col-span-2 text-neutral-600 md:px-4 md:py-3">
                      <div>{a.clientName}</div>
                      <div className="text-xs text-neutral-400">{a.clientEmail}</div>
                    </td>
                    <td className="col-start-2 row-start-1 md:px-4 md:py-3">
                      <StatusBadge status={a.status} />
                    </td>
                    <td className="col-span-2 md:px-4 md:py-3">
                      {lock ? (
                        <LockBadge lock={lock} />
                      ) : (
                        <span className="hidden text-neutral-400 md:inline">—</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
