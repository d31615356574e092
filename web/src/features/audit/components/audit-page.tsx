import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { controlClass } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { describeError, isApiError } from '@/lib/api-client';
import type { AuditAction, AuditEntry } from '@/lib/types';
import { useAppointmentRefs, useUsers } from '../api/get-audit-refs';
import { useAudit, type AuditFilters } from '../api/get-audit';

export const ACTIONS: {
  value: AuditAction;
  label: string;
  tone: 'neutral' | 'green' | 'blue' | 'red' | 'amber';
}[] = [
  { value: 'acquired', label: 'Started editing', tone: 'green' },
  { value: 'released', label: 'Stopped editing', tone: 'neutral' },
  { value: 'expired', label: 'Lock expired', tone: 'amber' },
  { value: 'granted', label: 'Granted from the line', tone: 'blue' },
  { value: 'control_requested', label: 'Control requested', tone: 'blue' },
  { value: 'control_handed_over', label: 'Control handed over', tone: 'blue' },
  { value: 'taken_over', label: 'Taken over', tone: 'red' },
  { value: 'force_released', label: 'Force released', tone: 'red' },
];

const REASONS: Record<string, string> = {
  user: 'by the user',
  disconnect: 'tab gone',
  expiry: 'no activity',
  queue: 'next in line',
  request: 'admin asked',
  handed_over: 'holder handed over',
  deadline: 'no answer by the deadline',
  takeover: 'admin took over',
  force: 'admin forced',
};

const timeFmt = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function Person({ p, fallback = '—' }: { p: AuditEntry['actor']; fallback?: string }) {
  if (!p) return <span className="text-neutral-400">{fallback}</span>;
  return (
    <span title={p.email}>
      {p.name} <span className="hidden text-xs text-neutral-400 lg:inline">{p.email}</span>
    </span>
  );
}

/** Admins: every lock event, newest first, with filters and paging. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters: AuditFilters = {
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

  // Two filters changed before the page re-renders must both stay: each change starts from
  // the last one made, not from the params of the render before it.
  const latestParams = useRef(params);
  useEffect(() => {
    latestParams.current = params;
  }, [params]);
  const setFilter = (name: keyof AuditFilters, value: string) => {
    const next = new URLSearchParams(latestParams.current);
    if (value) next.set(name, value);
    else next.delete(name);
    latestParams.current = next;
    setParams(next, { replace: true });
  };

  if (forbidden)
    return (
      <div className="space-y-3 py-10">
        <h1 className="text-xl font-semibold tracking-tight">Audit log</h1>
        <p className="rounded-md bg-amber-50 p-4 text-sm text-amber-900 ring-1 ring-amber-200" role="alert">
          Only admins can see the audit log. Ask an admin if you need to know who edited or took over an
          appointment.
        </p>
        <Link to="/" className="text-sm underline">
          Back to appointments
        </Link>
      </div>
    );

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Audit log</h1>
        <p className="text-sm text-neutral-500">
          Every lock event, newest first. Rows are never changed or deleted.
        </p>
      </div>

      <form
        className="grid gap-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-neutral-200 sm:grid-cols-3"
        aria-label="Filters"
        onSubmit={(e) => e.preventDefault()}
      >
        <label className="text-xs font-medium tracking-wide text-neutral-600 uppercase">
          Action
          <select
            className={`${controlClass} mt-1 normal-case`}
            value={filters.action}
            onChange={(e) => setFilter('action', e.target.value)}
          >
            <option value="">All actions</option>
            {ACTIONS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium tracking-wide text-neutral-600 uppercase">
          Appointment
          <select
            className={`${controlClass} mt-1 normal-case`}
            value={filters.appointmentId}
            onChange={(e) => setFilter('appointmentId', e.target.value)}
          >
            <option value="">All appointments</option>
            {(appointments.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.title}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium tracking-wide text-neutral-600 uppercase">
          Actor
          <select
            className={`${controlClass} mt-1 normal-case`}
            value={filters.actorId}
            onChange={(e) => setFilter('actorId', e.target.value)}
          >
            <option value="">Anyone</option>
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.email})
              </option>
            ))}
          </select>
        </label>
      </form>

      {audit.isPending && (
        <div className="flex items-center gap-2 py-10 text-sm text-neutral-500">
          <Spinner className="size-4" /> Loading the audit log…
        </div>
      )}
      {audit.error && (
        <p className="rounded-md bg-red-50 p-4 text-sm text-red-700" role="alert">
          {describeError(audit.error)}
        </p>
      )}

      {audit.data && (
        <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-neutral-200">
          <table className="w-full text-left text-sm" aria-label="Audit log">
            <thead className="bg-neutral-50 text-xs tracking-wide text-neutral-500 uppercase">
              <tr>
                <th scope="col" className="px-4 py-3 font-medium">
                  Time
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Action
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Appointment
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Actor
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Previous holder
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Reason
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-neutral-100">
              {rows.length === 0 && (
                <tr>
                  <td colSpan={6} className="px-4 py-8 text-center text-neutral-500">
                    No lock events match these filters.
                  </td>
                </tr>
              )}
              {rows.map((r) => {
                const action = ACTIONS.find((a) => a.value === r.action);
                return (
                  <tr key={r.id} data-testid="audit-row">
                    <td className="px-4 py-2.5 whitespace-nowrap text-neutral-600 tabular-nums">
                      <time dateTime={r.at}>{timeFmt.format(new Date(r.at))}</time>
                    </td>
                    <td className="px-4 py-2.5">
                      <Badge tone={action?.tone ?? 'neutral'}>{action?.label ?? r.action}</Badge>
                    </td>
                    <td className="px-4 py-2.5">
                      <Link
                        to={`/appointments/${encodeURIComponent(r.appointmentId)}`}
                        className="font-medium text-neutral-900 underline-offset-2 hover:underline"
                      >
                        {titles.get(r.appointmentId) ?? 'Appointment'}
                      </Link>
                    </td>
                    <td className="px-4 py-2.5">
                      <Person p={r.actor} fallback="System" />
                    </td>
                    <td className="px-4 py-2.5">
                      <Person p={r.previousHolder} />
                    </td>
                    <td className="px-4 py-2.5 text-neutral-600">{REASONS[r.reason] ?? r.reason}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

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
