import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '@/components/ui/button';
import { PageHeading } from '@/components/ui/page-heading';
import { useClinicTime } from '@/lib/clinic-time';
import { Spinner } from '@/components/ui/spinner';
import { describeError, isApiError } from '@/lib/api-client';
import type { AuditAction } from '@/lib/api/models';
import { useAppointmentRefs, useUsers } from '../api/get-audit-refs';
import { useAudit, type AuditFilters as Filters } from '../api/get-audit';
import { AuditFilters } from './audit-filters';
import { AuditTable } from './audit-table';

/** Admins: every lock event, newest first, with filters and paging. */
export function AuditPage() {
  const t = useClinicTime();
  const [params, setParams] = useSearchParams();
  const filters: Filters = {
    action: (params.get('action') as AuditAction | null) ?? '',
    appointmentId: params.get('appointmentId') ?? '',
    actorId: params.get('actorId') ?? '',
  };
  const audit = useAudit(filters);
  const forbidden = isApiError(audit.error, 'FORBIDDEN');
  const appointments = useAppointmentRefs();
  const users = useUsers();
  const titles = new Map((appointments.data ?? []).map((a) => [a.id, a.title]));
  const rows = audit.data?.pages.flatMap((p) => p.items) ?? [];

  // Filters changed faster than the page re-renders must all stay: each change starts from the
  // last one made. A render of an older URL arriving after a newer change must not become the
  // base again, so the URL is taken back from renders only once the last change has landed
  // (or when it changes from outside, e.g. Back).
  const latestParams = useRef(params);
  const pending = useRef<string | null>(null);
  useEffect(() => {
    if (pending.current !== null) {
      if (params.toString() === pending.current) pending.current = null;
      return;
    }
    latestParams.current = params;
  }, [params]);
  const setFilter = (name: keyof Filters, value: string) => {
    const next = new URLSearchParams(latestParams.current);
    if (value) next.set(name, value);
    else next.delete(name);
    if (next.toString() === latestParams.current.toString()) return; // no change: no render to wait for
    latestParams.current = next;
    pending.current = next.toString();
    setParams(next, { replace: true });
  };

  if (forbidden)
    return (
      <div className="space-y-3 py-10">
        <PageHeading>Audit log</PageHeading>
        <p className="rounded-md bg-amber-50 p-4 text-sm text-amber-900 ring-1 ring-amber-200" role="alert">
          Only admins can see the audit log. Ask an admin if you need to know who edited or took over an
          appointment.
        </p>
        <Link to="/" className="inline-flex min-h-6 items-center text-sm underline">
          Back to appointments
        </Link>
      </div>
    );

  return (
    <div className="space-y-4">
      <div>
        <PageHeading>Audit log</PageHeading>
        <p className="text-sm text-neutral-600">
          Every lock event, newest first. Rows are never changed or deleted. {t.label}.
        </p>
      </div>

      <AuditFilters
        filters={filters}
        setFilter={setFilter}
        appointments={appointments.data ?? []}
        users={users.data ?? []}
      />

      {audit.isPending && (
        <div className="flex items-center gap-2 py-10 text-sm text-neutral-600">
          <Spinner className="size-4" /> Loading the audit log…
        </div>
      )}
      {audit.error && (
        <p className="rounded-md bg-red-50 p-4 text-sm text-red-700" role="alert">
          {describeError(audit.error)}
        </p>
      )}

      {audit.data && <AuditTable rows={rows} titles={titles} />}

      {audit.hasNextPage && (
        <div className="flex justify-center">
          <Button loading={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>
            Load more
          </Button>
        </div>
      )}
    </div>
  );
}
