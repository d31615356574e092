import {
  addDays,
  dayRange,
  formatPlainDate,
  isPlainDate,
  mondayOf,
  startOfDay,
  weekRange,
  type PlainDate,
} from '@/lib/clinic-time';
import type { Appointment, AppointmentStatus } from '@/lib/api/models';

/**
 * What the list shows, all of it in the URL (`?view=day&date=2026-11-30&q=maya&status=confirmed`)
 * so a view can be shared and Back works. Defaults are left out of the URL.
 */
export type ListView = 'agenda' | 'day' | 'week';

export interface ListParams {
  view: ListView;
  /** The day shown (day), a day of the week shown (week), the first day (agenda); null: today. */
  date: PlainDate | null;
  q: string;
  /** Any of these; empty: every status. */
  status: AppointmentStatus[];
}

export const VIEWS: ListView[] = ['agenda', 'day', 'week'];
export const STATUSES: AppointmentStatus[] = ['scheduled', 'confirmed', 'cancelled'];
export const MAX_QUERY = 200;

/** The URL's view; anything it does not understand is ignored rather than an error page. */
export function readListParams(search: URLSearchParams): ListParams {
  const view = search.get('view');
  const date = search.get('date');
  const status = search
    .getAll('status')
    .filter((s): s is AppointmentStatus => (STATUSES as string[]).includes(s));
  return {
    view: (VIEWS as (string | null)[]).includes(view) ? (view as ListView) : 'agenda',
    date: isPlainDate(date) ? date : null,
    q: (search.get('q') ?? '').slice(0, MAX_QUERY),
    // Kept in one order, without repeats, so one view has one URL.
    status: STATUSES.filter((s) => status.includes(s)),
  };
}

export function writeListParams(p: ListParams): URLSearchParams {
  const out = new URLSearchParams();
  if (p.view !== 'agenda') out.set('view', p.view);
  if (p.date) out.set('date', p.date);
  if (p.q.trim()) out.set('q', p.q.trim());
  for (const s of STATUSES) if (p.status.includes(s)) out.append('status', s);
  return out;
}

/** `?…` for a link to this view (or `?` alone for the default one, so the link clears the URL). */
export function listHref(p: ListParams): string {
  const s = writeListParams(p).toString();
  return s ? `?${s}` : '?';
}

/** `from`/`to` for `GET /api/appointments`, in the clinic's zone; the agenda has no end. */
export function rangeOf(p: ListParams, tz: string, today: PlainDate): { from: string; to?: string } {
  const date = p.date ?? today;
  if (p.view === 'day') return dayRange(date, tz);
  if (p.view === 'week') return weekRange(date, tz);
  return { from: startOfDay(date, tz) };
}

/** The same view a day or a week earlier (`step` -1) or later (+1). */
export function shifted(p: ListParams, step: number, today: PlainDate): ListParams {
  const days = p.view === 'week' ? 7 : 1;
  return { ...p, date: addDays(p.date ?? today, step * days) };
}

/** The calendar days a view spans, for its headings (the agenda's are those it has rows for). */
export function daysOf(p: ListParams, today: PlainDate): PlainDate[] {
  const date = p.date ?? today;
  if (p.view === 'day') return [date];
  if (p.view === 'week') return Array.from({ length: 7 }, (_, i) => addDays(mondayOf(date), i));
  return [];
}

/** What the view is, in words: a heading and the tab title. */
export function describeView(p: ListParams, today: PlainDate): string {
  const date = p.date ?? today;
  if (p.view === 'day') return formatPlainDate(date);
  if (p.view === 'week') {
    const monday = mondayOf(date);
    const sunday = addDays(monday, 6);
    const short: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
    return `Week of ${formatPlainDate(monday, undefined, short)} – ${formatPlainDate(sunday, undefined, { ...short, year: 'numeric' })}`;
  }
  return date === today ? 'From today on' : `From ${formatPlainDate(date)} on`;
}

/**
 * Whether an appointment belongs in the view, as the server would answer: `startsAt` in the
 * range, a status asked for, and `q` a case-insensitive substring of title, client name, client
 * e-mail, location or notes. Used for appointments that arrive over the feed. `'unknown'`: only
 * its notes could tell (the `appointment.created` frame leaves them out): ask the server.
 */
/** An appointment as the feed may carry it (`appointment.created` leaves `notes` out). */
export type FeedAppointment = Omit<Appointment, 'notes'> & { notes?: string };

export function fitsView(
  a: FeedAppointment,
  p: ListParams,
  range: { from: string; to?: string },
): boolean | 'unknown' {
  const t = Date.parse(a.startsAt);
  if (t < Date.parse(range.from)) return false;
  if (range.to && t >= Date.parse(range.to)) return false;
  if (p.status.length && !p.status.includes(a.status)) return false;
  const q = p.q.trim().toLowerCase();
  if (!q) return true;
  if ([a.title, a.clientName, a.clientEmail, a.location].some((f) => f.toLowerCase().includes(q)))
    return true;
  if (a.notes === undefined) return 'unknown';
  return a.notes.toLowerCase().includes(q);
}
