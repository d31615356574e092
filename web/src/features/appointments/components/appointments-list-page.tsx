import { useCallback, useMemo } from 'react';
import { Link, useLocation } from 'react-router';
import { Button } from '@/components/ui/button';
import { ConnectionIndicator } from '@/components/ui/connection-indicator';
import { LiveRegion } from '@/components/ui/live-region';
import { PageHeading } from '@/components/ui/page-heading';
import { Spinner } from '@/components/ui/spinner';
import { describeError } from '@/lib/api-client';
import { useClinicConfig, useClinicTime } from '@/lib/clinic-time';
import { useFeedStore } from '@/lib/feed-store';
import { useAppointmentPages, type PageQuery } from '../api/get-appointment-pages';
import { useListParams } from '../hooks/use-list-params';
import { useLiveList } from '../hooks/use-live-list';
import { allItems } from '../lib/list-pages';
import { daysOf, describeView, fitsView, listHref, rangeOf, type FeedAppointment } from '../lib/list-view';
import { AppointmentsTable } from './appointments-table';
import { ListToolbar } from './list-toolbar';
import type { FromList } from './new-appointment-page';

/** The front desk's day: agenda from today on (paged), a day or a week, search and status, live. */
export function AppointmentsListPage() {
  const [params, setParams] = useListParams();
  const location = useLocation();
  const { loaded } = useClinicConfig();
  const t = useClinicTime();
  const today = t.today();
  const connection = useFeedStore((s) => s.connection);

  const range = useMemo(() => rangeOf(params, t.timeZone, today), [params, t.timeZone, today]);
  const query = useMemo<PageQuery>(
    () => ({ from: range.from, to: range.to, q: params.q.trim(), status: params.status }),
    [range, params.q, params.status],
  );
  const fits = useCallback((a: FeedAppointment) => fitsView(a, params, range), [params, range]);
  // The zone decides the range: wait for it rather than ask twice.
  const pages = useAppointmentPages(query, loaded);
  useLiveList(query, fits);

  const items = allItems(pages.data);
  const filtered = params.q.trim() !== '' || params.status.length > 0;
  const viewName = describeView(params, today);
  const title = params.view === 'agenda' && !params.date ? 'Appointments' : `${viewName} · Appointments`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <PageHeading title={title}>Appointments</PageHeading>
          <p className="text-sm text-neutral-700">
            <span className="font-medium text-neutral-900">{viewName}</span> · {t.label}
          </p>
        </div>
        <div className="flex items-center gap-3">
          <ConnectionIndicator status={connection} />
          <Link
            to={
              params.view === 'day' && params.date
                ? `/appointments/new?date=${params.date}`
                : '/appointments/new'
            }
            state={{ listSearch: location.search } satisfies FromList}
            className="inline-flex h-9 items-center rounded-md bg-neutral-900 px-4 text-sm font-medium text-white hover:bg-neutral-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-neutral-900"
          >
            New appointment
          </Link>
        </div>
      </div>

      <ListToolbar params={params} today={today} onChange={setParams} />

      {(pages.isPending || !loaded) && (
        <div className="flex items-center gap-2 py-10 text-sm text-neutral-600" role="status">
          <Spinner className="size-4" /> Loading appointments…
        </div>
      )}
      {pages.error && (
        <p className="rounded-md bg-red-50 p-4 text-sm text-red-800" role="alert">
          {describeError(pages.error)}
        </p>
      )}
      <LiveRegion
        message={pages.isSuccess ? `${items.length}${pages.hasNextPage ? ' or more' : ''} appointments.` : ''}
      />

      {pages.isSuccess &&
        (items.length === 0 && params.view !== 'week' ? (
          <EmptyState
            filtered={filtered}
            nothing={
              params.view === 'day'
                ? `Nothing is booked on ${viewName}.`
                : `Nothing is booked ${viewName.replace(/^From/, 'from')}.`
            }
            clear={listHref({ ...params, q: '', status: [] })}
          />
        ) : (
          <>
            <AppointmentsTable
              items={items}
              t={t}
              days={daysOf(params, today)}
              singleDay={params.view === 'day'}
            />
            {pages.hasNextPage && (
              <div className="flex justify-center">
                <Button loading={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
                  Show more
                </Button>
              </div>
            )}
          </>
        ))}
    </div>
  );
}

function EmptyState({ filtered, nothing, clear }: { filtered: boolean; nothing: string; clear: string }) {
  return (
    <div className="rounded-xl bg-white px-6 py-10 text-center shadow-sm ring-1 ring-neutral-200">
      <p className="font-medium text-neutral-900">
        {filtered ? 'No appointments match your search and filters.' : 'No appointments yet.'}
      </p>
      <p className="mt-1 text-sm text-neutral-600">
        {filtered ? (
          <Link to={clear} className="underline underline-offset-2">
            Clear the search and filters
          </Link>
        ) : (
          nothing
        )}
      </p>
    </div>
  );
}
