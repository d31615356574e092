import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { useClinicTime } from '@/lib/clinic-time';
import type { AuditAction, AuditEntry } from '@/lib/api/models';

export const ACTIONS: {
  value: AuditAction;
  label: string;
  tone: 'neutral' | 'green' | 'blue' | 'red' | 'amber';
}[] = [
  { value: 'acquired', label: 'Started editing', tone: 'green' },
  { value: 'released', label: 'Stopped editing', tone: 'neutral' },
  { value: 'expired', label: 'Lock expired', tone: 'amber' },
  { value: 'offered', label: 'Offered to the next in line', tone: 'blue' },
  { value: 'granted', label: 'Granted from the line', tone: 'blue' },
  { value: 'offer_declined', label: 'Offer passed', tone: 'neutral' },
  { value: 'offer_expired', label: 'Offer ran out', tone: 'amber' },
  { value: 'control_requested', label: 'Control requested', tone: 'blue' },
  { value: 'control_handed_over', label: 'Control handed over', tone: 'blue' },
  { value: 'taken_over', label: 'Taken over', tone: 'red' },
  { value: 'force_released', label: 'Force released', tone: 'red' },
  { value: 'deleted', label: 'Deleted', tone: 'red' },
];

const REASONS: Record<string, string> = {
  user: 'by the user',
  disconnect: 'tab gone',
  expiry: 'no activity',
  queue: 'next in line',
  offer: 'took the offered lock',
  request: 'admin asked',
  handed_over: 'holder handed over',
  deadline: 'no answer by the deadline',
  takeover: 'admin took over',
  force: 'admin forced',
};

function Person({ p, fallback = '—' }: { p: AuditEntry['actor']; fallback?: string }) {
  if (!p) return <span className="text-neutral-600">{fallback}</span>;
  return (
    <span title={p.email}>
      {p.name} <span className="hidden text-xs text-neutral-600 lg:inline">{p.email}</span>
    </span>
  );
}

/** The audit rows, newest first; titles come from the appointment list. */
const columns = ['Time', 'Action', 'Appointment', 'Actor', 'Previous holder', 'Reason'];

export function AuditTable({ rows, titles }: { rows: AuditEntry[]; titles: Map<string, string> }) {
  const t = useClinicTime();
  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-neutral-200">
      <table className="w-full text-left text-sm" aria-label="Audit log">
        <thead className="bg-neutral-50 text-xs tracking-wide text-neutral-600 uppercase">
          <tr>
            {columns.map((name) => (
              <th key={name} scope="col" className="px-4 py-3 font-medium">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {rows.length === 0 && (
            <tr>
              <td colSpan={6} className="px-4 py-8 text-center text-neutral-600">
                No lock events match these filters.
              </td>
            </tr>
          )}
          {rows.map((r) => {
            const action = ACTIONS.find((a) => a.value === r.action);
            return (
              <tr key={r.id} data-testid="audit-row">
                <td className="px-4 py-2.5 whitespace-nowrap text-neutral-600 tabular-nums">
                  <time dateTime={r.at}>{t.dateTimeSeconds(r.at)}</time>
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
  );
}
