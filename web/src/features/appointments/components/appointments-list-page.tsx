import { ConnectionIndicator } from '@/components/ui/connection-indicator';
import { PageHeading } from '@/components/ui/page-heading';
import { Spinner } from '@/components/ui/spinner';
import { describeError } from '@/lib/api-client';
import { useAppointments } from '../api/get-appointments';
import { useFeedStore } from '@/lib/feed-store';
import { AppointmentRow } from './appointment-row';

const columns = ['When', 'Title', 'Client', 'Status', 'Editing'];

export function AppointmentsListPage() {
  const { data, isPending, error } = useAppointments();
  const connection = useFeedStore((s) => s.connection);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <PageHeading>Appointments</PageHeading>
          <p className="text-sm text-neutral-600">Open one to view it live; press Edit to change it.</p>
        </div>
        <ConnectionIndicator status={connection} />
      </div>

      {isPending && (
        <div className="flex items-center gap-2 py-10 text-sm text-neutral-600" role="status">
          <Spinner className="size-4" /> Loading appointments…
        </div>
      )}
      {error && <p className="rounded-md bg-red-50 p-4 text-sm text-red-800">{describeError(error)}</p>}

      {data && (
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
            <tbody className="divide-y divide-neutral-100">
              {data.map((a) => (
                <AppointmentRow key={a.id} a={a} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
