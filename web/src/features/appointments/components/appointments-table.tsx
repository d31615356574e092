import { formatPlainDate, type ClinicTime, type PlainDate } from '@/lib/clinic-time';
import type { AppointmentListItem } from '@/lib/api/models';
import { AppointmentRow } from './appointment-row';

const columns = ['Time', 'Title', 'Client', 'Status', 'Editing'];

interface Props {
  items: AppointmentListItem[];
  t: ClinicTime;
  /** Days to show even when empty (a week); otherwise only the days that have appointments. */
  days: PlainDate[];
  /** One day only: its date is the page's heading already. */
  singleDay: boolean;
}

/** The rows grouped under the clinic's days. */
export function AppointmentsTable({ items, t, days, singleDay }: Props) {
  const byDay = new Map<PlainDate, AppointmentListItem[]>(days.map((d) => [d, []]));
  for (const a of items) {
    const d = t.dateOf(a.startsAt);
    byDay.set(d, [...(byDay.get(d) ?? []), a]);
  }
  const groups = [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return (
    <div className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-neutral-200">
      <table className="w-full text-left text-sm">
        <thead className="hidden bg-neutral-50 text-xs tracking-wide text-neutral-600 uppercase md:table-header-group">
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col" className="px-4 py-3 font-medium">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        {groups.map(([day, rows]) => (
          <tbody
            key={day}
            className="divide-y divide-neutral-100 border-t border-neutral-200 first-of-type:border-t-0"
          >
            {!singleDay && (
              <tr className="block bg-neutral-50 md:table-row">
                <th
                  scope="colgroup"
                  colSpan={columns.length}
                  className="block px-4 py-2 text-sm font-semibold text-neutral-900 md:table-cell"
                >
                  {formatPlainDate(day, undefined, { weekday: 'long', day: 'numeric', month: 'long' })}
                </th>
              </tr>
            )}
            {rows.length === 0 ? (
              <tr className="block md:table-row">
                <td colSpan={columns.length} className="block px-4 py-3 text-neutral-600 md:table-cell">
                  No appointments.
                </td>
              </tr>
            ) : (
              rows.map((a) => <AppointmentRow key={a.id} a={a} t={t} />)
            )}
          </tbody>
        ))}
      </table>
    </div>
  );
}
