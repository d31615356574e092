import { formatDay, formatTime } from '@/lib/format';

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

/** When something happened, in words: "Sat, Nov 28, 10:00". */
export function formatWhen(iso: string) {
  return `${formatDay(iso)}, ${formatTime(iso)}`;
}

/** A value of the history as a person reads it: times in the zone, status names, "(empty)". */
export function historyValue(field: string, value: string | null): string {
  if (value === null) return '—';
  if (value === '') return '(empty)';
  if (field === 'startsAt' || field === 'endsAt') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? value : formatWhen(value);
  }
  if (field === 'status') return STATUS[value] ?? value;
  return value;
}
