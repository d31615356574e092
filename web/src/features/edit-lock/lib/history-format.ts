import type { ClinicTime } from '@/lib/clinic-time';

const LABELS: Record<string, string> = {
  title: 'Title',
  clientName: 'Client name',
  clientEmail: 'Client e-mail',
  startsAt: 'Starts',
  endsAt: 'Ends',
  location: 'Location',
  notes: 'Notes',
  status: 'Status',
};

const STATUS: Record<string, string> = {
  scheduled: 'Scheduled',
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
};

/** The form's label for an API field name (unknown names as they are). */
export function fieldLabel(field: string) {
  return LABELS[field] ?? field;
}

/** A value of the history as a person reads it: times in the clinic's zone, status names, "(empty)". */
export function historyValue(field: string, value: string | null, t: ClinicTime): string {
  if (value === null) return '—';
  if (value === '') return '(empty)';
  if (field === 'startsAt' || field === 'endsAt') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : t.dateTime(value);
  }
  if (field === 'status') return STATUS[value] ?? value;
  return value;
}
