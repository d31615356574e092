import { renderHook, waitFor } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { makeQueryClient } from '@/lib/query-client';
import { mockApi } from '@/testing/mock-api';
import {
  addDays,
  clinicTime,
  dateInZone,
  dayRange,
  formatDateTime,
  formatTime,
  formatTimeRange,
  fromInputValue,
  isPlainDate,
  mondayOf,
  startOfDay,
  startOfWeek,
  toInputValue,
  todayInZone,
  useClinicConfig,
  useClinicTime,
  weekRange,
  zoneLabel,
} from './clinic-time';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

describe('datetime-local values are read and written in the clinic zone, not the browser’s', () => {
  it('an ordinary winter and summer time in Berlin', () => {
    expect(fromInputValue('2026-11-28T10:30', BERLIN)).toBe('2026-11-28T09:30:00.000Z');
    expect(fromInputValue('2026-07-01T10:30', BERLIN)).toBe('2026-07-01T08:30:00.000Z');
    expect(toInputValue('2026-11-28T09:30:00.000Z', BERLIN)).toBe('2026-11-28T10:30');
    expect(toInputValue('2026-07-01T08:30:00.000Z', BERLIN)).toBe('2026-07-01T10:30');
    // The test runner's own zone is UTC: the same value there is another instant.
    expect(fromInputValue('2026-11-28T10:30', 'UTC')).toBe('2026-11-28T10:30:00.000Z');
  });

  it('New York, behind UTC: the evening is already the next day in UTC', () => {
    expect(fromInputValue('2026-11-28T21:00', NEW_YORK)).toBe('2026-11-29T02:00:00.000Z');
    expect(toInputValue('2026-11-29T02:00:00.000Z', NEW_YORK)).toBe('2026-11-28T21:00');
  });

  it('Berlin springs forward (29 March 2026, 02:00 → 03:00): a time in the gap moves on by the gap', () => {
    expect(fromInputValue('2026-03-29T01:59', BERLIN)).toBe('2026-03-29T00:59:00.000Z');
    expect(fromInputValue('2026-03-29T02:30', BERLIN)).toBe('2026-03-29T01:30:00.000Z');
    expect(fromInputValue('2026-03-29T03:30', BERLIN)).toBe('2026-03-29T01:30:00.000Z');
    expect(toInputValue('2026-03-29T01:30:00.000Z', BERLIN)).toBe('2026-03-29T03:30');
  });

  it('Berlin falls back (25 October 2026, 03:00 → 02:00): a time that happens twice is its first occurrence', () => {
    expect(fromInputValue('2026-10-25T02:30', BERLIN)).toBe('2026-10-25T00:30:00.000Z');
    // Both occurrences are shown as 02:30.
    expect(toInputValue('2026-10-25T00:30:00.000Z', BERLIN)).toBe('2026-10-25T02:30');
    expect(toInputValue('2026-10-25T01:30:00.000Z', BERLIN)).toBe('2026-10-25T02:30');
    expect(fromInputValue('2026-10-25T03:30', BERLIN)).toBe('2026-10-25T02:30:00.000Z');
  });

  it('New York springs forward (8 March 2026) and falls back (1 November 2026)', () => {
    expect(fromInputValue('2026-03-08T01:30', NEW_YORK)).toBe('2026-03-08T06:30:00.000Z');
    expect(fromInputValue('2026-03-08T02:30', NEW_YORK)).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
    expect(fromInputValue('2026-03-08T03:30', NEW_YORK)).toBe('2026-03-08T07:30:00.000Z');
    expect(fromInputValue('2026-11-01T01:30', NEW_YORK)).toBe('2026-11-01T05:30:00.000Z'); // EDT, the first
    expect(toInputValue('2026-11-01T06:30:00.000Z', NEW_YORK)).toBe('2026-11-01T01:30'); // EST, the second
  });

  it('round-trips every quarter hour of a DST week', () => {
    for (const tz of [BERLIN, NEW_YORK, 'Asia/Kolkata', 'Australia/Lord_Howe']) {
      for (let t = Date.parse('2026-10-23T00:00:00Z'); t < Date.parse('2026-11-03T00:00:00Z'); t += 900_000) {
        const iso = new Date(t).toISOString();
        const back = fromInputValue(toInputValue(iso, tz), tz)!;
        // Equal, or the first of two instants that read the same on the clock.
        expect(toInputValue(back, tz)).toBe(toInputValue(iso, tz));
        expect(Date.parse(back)).toBeLessThanOrEqual(t);
      }
    }
  });

  it('an empty, half-typed or impossible value is null; an unparseable ISO gives an empty input', () => {
    for (const v of ['', '2026-11-28', '2026-11-28T1', '2026-02-30T10:00', '2026-11-28T24:00', 'tomorrow'])
      expect(fromInputValue(v, BERLIN)).toBeNull();
    expect(fromInputValue('2026-11-28T10:30:15', BERLIN)).toBe('2026-11-28T09:30:15.000Z');
    expect(toInputValue('not a time', BERLIN)).toBe('');
  });
});

describe('days and weeks in the clinic zone', () => {
  it('a DST day is 23 or 25 hours long, from local midnight to local midnight', () => {
    expect(dayRange('2026-03-29', BERLIN)).toEqual({
      from: '2026-03-28T23:00:00.000Z',
      to: '2026-03-29T22:00:00.000Z',
    });
    expect(dayRange('2026-10-25', BERLIN)).toEqual({
      from: '2026-10-24T22:00:00.000Z',
      to: '2026-10-25T23:00:00.000Z',
    });
    expect(dayRange('2026-11-01', NEW_YORK)).toEqual({
      from: '2026-11-01T04:00:00.000Z',
      to: '2026-11-02T05:00:00.000Z',
    });
  });

  it('weeks start on Monday', () => {
    expect(mondayOf('2026-11-28')).toBe('2026-11-23'); // Saturday
    expect(mondayOf('2026-11-29')).toBe('2026-11-23'); // Sunday
    expect(mondayOf('2026-11-30')).toBe('2026-11-30'); // Monday
    expect(startOfWeek('2026-10-28', BERLIN)).toBe('2026-10-25T23:00:00.000Z'); // Monday 26th, CET again
    expect(weekRange('2026-10-25', BERLIN)).toEqual({
      from: '2026-10-18T22:00:00.000Z',
      to: '2026-10-25T23:00:00.000Z',
    });
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-11-28', 7)).toBe('2026-12-05');
  });

  it('today is the clinic’s date, which may not be UTC’s', () => {
    const lateEvening = Date.parse('2026-11-28T23:30:00.000Z');
    expect(todayInZone('UTC', lateEvening)).toBe('2026-11-28');
    expect(todayInZone(BERLIN, lateEvening)).toBe('2026-11-29');
    expect(dateInZone('2026-11-29T03:00:00.000Z', NEW_YORK)).toBe('2026-11-28');
    expect(startOfDay('2026-11-29', BERLIN)).toBe('2026-11-28T23:00:00.000Z');
  });

  it('knows a real date from something else', () => {
    expect(isPlainDate('2026-11-28')).toBe(true);
    for (const v of ['2026-02-30', '2026-13-01', '28.11.2026', '', undefined])
      expect(isPlainDate(v)).toBe(false);
  });
});

describe('formatting', () => {
  it('shows times in the clinic zone and says which zone once', () => {
    expect(formatTime('2026-11-28T09:30:00.000Z', BERLIN, 'en-GB')).toBe('10:30');
    expect(formatTime('2026-11-28T09:30:00.000Z', NEW_YORK, 'en-GB')).toBe('04:30');
    expect(formatDateTime('2026-11-28T23:30:00.000Z', BERLIN, 'en-GB')).toBe('Sun 29 Nov, 00:30');
    expect(zoneLabel(BERLIN)).toBe('Times in Europe/Berlin');
  });

  it('a range ending on another day carries the end’s date', () => {
    expect(formatTimeRange('2026-11-28T09:30:00.000Z', '2026-11-28T10:00:00.000Z', BERLIN, 'en-GB')).toBe(
      '10:30 – 11:00',
    );
    expect(formatTimeRange('2026-11-28T22:30:00.000Z', '2026-11-28T23:30:00.000Z', BERLIN, 'en-GB')).toBe(
      '23:30 – Sun 29 Nov, 00:30',
    );
  });

  it('an unknown zone falls back to UTC rather than throwing', () => {
    const t = clinicTime('Mars/Olympus_Mons');
    expect(t.timeZone).toBe('UTC');
    expect(t.toInput('2026-11-28T09:30:00.000Z')).toBe('2026-11-28T09:30');
  });
});

function wrapper() {
  const client = makeQueryClient();
  client.setDefaultOptions({ queries: { retry: false } });
  return ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
}

describe('useClinicConfig / useClinicTime', () => {
  it('UTC while /api/config loads, then the clinic’s zone; asked once, without a token', async () => {
    const m = mockApi().on('GET /api/config', { status: 200, body: { timeZone: BERLIN, demo: true } });
    const { result } = renderHook(() => ({ config: useClinicConfig(), time: useClinicTime() }), {
      wrapper: wrapper(),
    });
    expect(result.current.config).toEqual({ timeZone: 'UTC', demo: false, loaded: false });
    await waitFor(() => expect(result.current.config.loaded).toBe(true));
    expect(result.current.config).toEqual({ timeZone: BERLIN, demo: true, loaded: true });
    expect(result.current.time.label).toBe('Times in Europe/Berlin');
    expect(result.current.time.fromInput('2026-11-28T10:30')).toBe('2026-11-28T09:30:00.000Z');
    expect(m.callsTo('GET /api/config')).toHaveLength(1);
    expect(m.calls[0]!.headers.Authorization).toBeUndefined();
  });

  it('a zone this browser does not know means UTC', async () => {
    mockApi().on('GET /api/config', { status: 200, body: { timeZone: 'Nowhere/Else', demo: false } });
    const { result } = renderHook(() => useClinicConfig(), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.loaded).toBe(true));
    expect(result.current.timeZone).toBe('UTC');
  });

  it('a server without /api/config: UTC, no demo, and `loaded` (nothing waits for it forever)', async () => {
    mockApi(); // every route 404
    const { result } = renderHook(() => useClinicConfig(), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.loaded).toBe(true));
    expect(result.current).toEqual({ timeZone: 'UTC', demo: false, loaded: true });
  });
});
