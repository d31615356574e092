import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { configQueryOptions } from './api/get-config';
import type { ClinicConfig } from './api/models';

/**
 * Everything about the clinic's time zone (`GET /api/config` → `timeZone`, an IANA name).
 * Every time on screen is shown in that zone, whatever the browser's zone is, and every
 * `<input type="datetime-local">` is read in it. Only `Intl` is used: it knows the zones' rules
 * (DST included); the arithmetic here turns wall-clock times into instants and back.
 */

export const DEFAULT_TIME_ZONE = 'UTC';

/** A calendar date, `YYYY-MM-DD` (the `date=` of the list's URL, an `<input type="date">` value). */
export type PlainDate = string;

/** A wall-clock reading in some zone; month 1–12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;

export function isValidTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || !tz) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: string, tz: string, options: Intl.DateTimeFormatOptions, locale?: string) {
  const key = `${kind}|${tz}|${locale ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: tz });
    formatters.set(key, f);
  }
  return f;
}

// ---- wall clock ↔ instant ----

/** The wall clock in `tz` at the instant `ms`. */
export function wallTimeAt(ms: number, tz: string): WallTime {
  const f = formatter(
    'parts',
    tz,
    {
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    },
    'en-US',
  );
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour! % 24,
    minute: out.minute!,
    second: out.second!,
  };
}

const wallAsUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** `tz`'s offset from UTC at the instant `ms`, in ms (Berlin in winter: +3 600 000). */
export function zoneOffsetMs(ms: number, tz: string): number {
  return wallAsUtc(wallTimeAt(ms, tz)) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time in `tz` names. Around a DST change it does what a person
 * expects (as Temporal's "compatible"): a time that happens twice (clocks go back) is its first
 * occurrence; a time that does not exist (clocks go forward) is moved on by the gap, so
 * 02:30 on the morning Berlin springs forward is 03:30.
 */
export function wallTimeToInstant(w: WallTime, tz: string): number {
  const local = wallAsUtc(w);
  // The zone's offsets a day either side: with at most one change in between, the true
  // offset is one of them.
  const before = zoneOffsetMs(local - DAY_MS, tz);
  const after = zoneOffsetMs(local + DAY_MS, tz);
  const candidates = [local - before, local - after]
    .filter((t) => wallAsUtc(wallTimeAt(t, tz)) === local)
    .sort((a, b) => a - b);
  return candidates[0] ?? local - before;
}

// ---- calendar dates ----

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parsePlainDate(date: PlainDate): [number, number, number] | null {
  const m = PLAIN_DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return [y, mo, d];
}

export function isPlainDate(value: unknown): value is PlainDate {
  return typeof value === 'string' && parsePlainDate(value) !== null;
}

const pad = (n: number, width = 2) => n.toString().padStart(width, '0');

function plainDateOf(y: number, mo: number, d: number): PlainDate {
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
}

function utcMidnight(date: PlainDate): Date {
  const p = parsePlainDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  return new Date(Date.UTC(p[0], p[1] - 1, p[2]));
}

/** Calendar arithmetic: `addDays('2026-12-31', 1)` is `'2027-01-01'`, whatever the zone. */
export function addDays(date: PlainDate, days: number): PlainDate {
  const t = utcMidnight(date);
  t.setUTCDate(t.getUTCDate() + days);
  return plainDateOf(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** The Monday of `date`'s week (weeks start on Monday). */
export function mondayOf(date: PlainDate): PlainDate {
  const weekday = utcMidnight(date).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** The clinic's calendar date at an instant. */
export function dateInZone(instant: string | number, tz: string): PlainDate {
  const w = wallTimeAt(typeof instant === 'number' ? instant : Date.parse(instant), tz);
  return plainDateOf(w.year, w.month, w.day);
}

export function todayInZone(tz: string, now = Date.now()): PlainDate {
  return dateInZone(now, tz);
}

/** The instant the clinic's day `date` starts (ISO): not always 00:00, and not always 24 h long. */
export function startOfDay(date: PlainDate, tz: string): string {
  const [year, month, day] = parsePlainDate(date) ?? [NaN, NaN, NaN];
  if (Number.isNaN(year)) throw new RangeError(`not a date: ${date}`);
  return new Date(wallTimeToInstant({ year, month, day, hour: 0, minute: 0, second: 0 }, tz)).toISOString();
}

/** The instant the clinic's week (from Monday) holding `date` starts. */
export function startOfWeek(date: PlainDate, tz: string): string {
  return startOfDay(mondayOf(date), tz);
}

/** `from` (inclusive) and `to` (exclusive) of the clinic's day, as `GET /api/appointments` takes them. */
export function dayRange(date: PlainDate, tz: string) {
  return { from: startOfDay(date, tz), to: startOfDay(addDays(date, 1), tz) };
}

/** `from`/`to` of the clinic's week, Monday to Sunday, holding `date`. */
export function weekRange(date: PlainDate, tz: string) {
  const monday = mondayOf(date);
  return { from: startOfDay(monday, tz), to: startOfDay(addDays(monday, 7), tz) };
}

// ---- <input type="datetime-local"> ----

/** ISO instant → the value of an `<input type="datetime-local">` showing it in `tz` ('' if not a time). */
export function toInputValue(iso: string, tz: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const w = wallTimeAt(ms, tz);
  return `${plainDateOf(w.year, w.month, w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

const INPUT_VALUE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/**
 * An `<input type="datetime-local">` value read as a wall-clock time in `tz` → ISO instant;
 * null when it is not a complete, real date and time (an empty or half-typed input).
 */
export function fromInputValue(value: string, tz: string): string | null {
  const m = INPUT_VALUE.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second = 0] = m.slice(1, 7).map((x) => (x ? Number(x) : 0));
  if (!isPlainDate(plainDateOf(year!, month!, day!)) || hour! > 23 || minute! > 59 || second > 59)
    return null;
  const ms = wallTimeToInstant(
    { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second },
    tz,
  );
  return new Date(ms).toISOString();
}

// ---- formatting ----

const DATE: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

/** "Sat, Nov 28" in the clinic's zone. */
export function formatDate(iso: string, tz: string, locale?: string) {
  return formatter('date', tz, DATE, locale).format(Date.parse(iso));
}

/** "10:30 AM" in the clinic's zone. */
export function formatTime(iso: string, tz: string, locale?: string) {
  return formatter('time', tz, TIME, locale).format(Date.parse(iso));
}

/** "Sat, Nov 28, 10:30 AM": a time that needs its day (saved at, audit rows). */
export function formatDateTime(iso: string, tz: string, locale?: string) {
  return formatter('date-time', tz, { ...DATE, ...TIME }, locale).format(Date.parse(iso));
}

/** "Sat, Nov 28, 10:30:05 AM" (the audit log's precision). */
export function formatDateTimeSeconds(iso: string, tz: string, locale?: string) {
  return formatter('date-time-s', tz, { ...DATE, ...TIME, second: '2-digit' }, locale).format(
    Date.parse(iso),
  );
}

/** "10:30 AM – 11:00 AM"; the end carries its date when it falls on another day. */
export function formatTimeRange(startIso: string, endIso: string, tz: string, locale?: string) {
  const end =
    dateInZone(startIso, tz) === dateInZone(endIso, tz)
      ? formatTime(endIso, tz, locale)
      : formatDateTime(endIso, tz, locale);
  return `${formatTime(startIso, tz, locale)} – ${end}`;
}

/** A calendar date in words, "Monday, November 30, 2026" (no zone involved). */
export function formatPlainDate(date: PlainDate, locale?: string, options?: Intl.DateTimeFormatOptions) {
  const o = options ?? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
  return formatter(`plain-${JSON.stringify(o)}`, 'UTC', o, locale).format(utcMidnight(date));
}

/** What a page says once about its times: "Times in Europe/Berlin". */
export function zoneLabel(tz: string) {
  return `Times in ${tz}`;
}

/** Formatters and conversions bound to one zone. */
export function clinicTime(timeZone: string) {
  const tz = isValidTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
  return {
    timeZone: tz,
    label: zoneLabel(tz),
    date: (iso: string) => formatDate(iso, tz),
    time: (iso: string) => formatTime(iso, tz),
    dateTime: (iso: string) => formatDateTime(iso, tz),
    dateTimeSeconds: (iso: string) => formatDateTimeSeconds(iso, tz),
    timeRange: (startIso: string, endIso: string) => formatTimeRange(startIso, endIso, tz),
    toInput: (iso: string) => toInputValue(iso, tz),
    fromInput: (value: string) => fromInputValue(value, tz),
    dateOf: (iso: string) => dateInZone(iso, tz),
    today: (now?: number) => todayInZone(tz, now),
    startOfDay: (date: PlainDate) => startOfDay(date, tz),
    startOfWeek: (date: PlainDate) => startOfWeek(date, tz),
    dayRange: (date: PlainDate) => dayRange(date, tz),
    weekRange: (date: PlainDate) => weekRange(date, tz),
  };
}

export type ClinicTime = ReturnType<typeof clinicTime>;

/**
 * The clinic's configuration, read once per session. Until it has answered (and when it could
 * not be read) the zone is UTC and `demo` false; `loaded` is true once the answer (or the
 * failure) is in, i.e. the zone will not change any more.
 */
export function useClinicConfig(): ClinicConfig & { loaded: boolean } {
  const { data, isPending } = useQuery(configQueryOptions());
  return useMemo(
    () => ({
      timeZone: isValidTimeZone(data?.timeZone) ? data.timeZone : DEFAULT_TIME_ZONE,
      demo: data?.demo === true,
      loaded: !isPending,
    }),
    [data, isPending],
  );
}

/** `clinicTime` for the clinic's zone (UTC until `/api/config` has answered). */
export function useClinicTime(): ClinicTime {
  const { timeZone } = useClinicConfig();
  return useMemo(() => clinicTime(timeZone), [timeZone]);
}
