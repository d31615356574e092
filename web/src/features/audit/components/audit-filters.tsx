import { controlClass } from '@/components/ui/field';
import type { User } from '@/lib/api/models';
import type { AppointmentRef } from '../api/get-audit-refs';
import type { AuditFilters as Filters } from '../api/get-audit';
import { ACTIONS } from './audit-table';

interface Props {
  filters: Filters;
  setFilter: (name: keyof Filters, value: string) => void;
  appointments: AppointmentRef[];
  users: User[];
}

/** Action, appointment and actor: each one a labelled select, kept in the URL by the page. */
export function AuditFilters({ filters, setFilter, appointments, users }: Props) {
  return (
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
          {appointments.map((a) => (
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
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.email})
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
