import { Link } from 'react-router';
import { ConnectionIndicator } from '@/components/ui/connection-indicator';
import { PageHeading } from '@/components/ui/page-heading';
import { useClinicTime } from '@/lib/clinic-time';
import type { Appointment } from '@/lib/api/models';
import { useLockStore } from '../stores/lock-store';
import { PresenceList } from './presence-list';

/** Back link, the appointment's title (the page heading), when, who saved last, and who is here. */
export function EditorHeader({ appointment, meId }: { appointment: Appointment; meId: string }) {
  const connection = useLockStore((s) => s.connection);
  const presence = useLockStore((s) => s.presence);
  const t = useClinicTime();
  return (
    <div>
      <Link
        to="/"
        className="-mx-1 inline-flex min-h-6 items-center rounded px-1 text-sm text-neutral-600 underline-offset-2 hover:text-neutral-900 hover:underline"
      >
        <span aria-hidden="true">←&nbsp;</span>Appointments
      </Link>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <PageHeading className="truncate">{appointment.title}</PageHeading>
          <p className="mt-0.5 text-sm text-neutral-600">
            {t.date(appointment.startsAt)} · {t.timeRange(appointment.startsAt, appointment.endsAt)} · version{' '}
            {appointment.version}, saved by {appointment.updatedBy.name} at{' '}
            {t.dateTime(appointment.updatedAt)} · {t.label}
          </p>
        </div>
        <div className="flex items-center gap-3">
          <ConnectionIndicator status={connection} />
          <PresenceList viewers={presence} meId={meId} />
        </div>
      </div>
    </div>
  );
}
