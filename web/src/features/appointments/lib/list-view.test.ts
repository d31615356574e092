import { describe, expect, it } from 'vitest';
import { makeAppointment } from '@/testing/fixtures';
import {
  daysOf,
  describeView,
  fitsView,
  listHref,
  rangeOf,
  readListParams,
  shifted,
  writeListParams,
  type ListParams,
} from './list-view';

const read = (s: string) => readListParams(new URLSearchParams(s));
const agenda: ListParams = { view: 'agenda', date: null, q: '', status: [] };

describe('the list’s view in the URL', () => {
  it('reads view, date, search and several statuses', () => {
    expect(read('view=day&date=2026-11-30&q=maya&status=confirmed&status=scheduled')).toEqual({
      view: 'day',
      date: '2026-11-30',
      q: 'maya',
      status: ['scheduled', 'confirmed'],
    });
  });

  it('ignores what it does not understand instead of failing', () => {
    expect(read('view=month&date=2026-02-30&status=lost&status=confirmed&status=confirmed')).toEqual({
      ...agenda,
      status: ['confirmed'],
    });
    expect(read('q=' + 'x'.repeat(300)).q).toHaveLength(200);
  });

  it('writes one URL per view, leaving defaults out; read(write(p)) is p', () => {
    const p: ListParams = {
      view: 'week',
      date: '2026-11-30',
      q: ' Room 2 ',
      status: ['cancelled', 'scheduled'],
    };
    expect(writeListParams(p).toString()).toBe(
      'view=week&date=2026-11-30&q=Room+2&status=scheduled&status=cancelled',
    );
    expect(read(writeListParams(p).toString())).toEqual({
      ...p,
      q: 'Room 2',
      status: ['scheduled', 'cancelled'],
    });
    expect(writeListParams(agenda).toString()).toBe('');
    expect(listHref(agenda)).toBe('?');
  });
});

describe('ranges in the clinic zone', () => {
  const today = '2026-11-28';
  it('agenda: from the start of today (or of the chosen day) in the zone, no end', () => {
    expect(rangeOf(agenda, 'Europe/Berlin', today)).toEqual({ from: '2026-11-27T23:00:00.000Z' });
    expect(rangeOf({ ...agenda, date: '2026-12-01' }, 'UTC', today)).toEqual({
      from: '2026-12-01T00:00:00.000Z',
    });
  });

  it('day and week, across the DST change in New York', () => {
    const day: ListParams = { ...agenda, view: 'day', date: '2026-11-01' };
    expect(rangeOf(day, 'America/New_York', today)).toEqual({
      from: '2026-11-01T04:00:00.000Z',
      to: '2026-11-02T05:00:00.000Z',
    });
    expect(rangeOf({ ...day, view: 'week' }, 'America/New_York', today)).toEqual({
      from: '2026-10-26T04:00:00.000Z', // Monday, still EDT
      to: '2026-11-02T05:00:00.000Z', // the next Monday, EST
    });
  });

  it('previous and next move by a day or a week from the day shown', () => {
    const day: ListParams = { ...agenda, view: 'day' };
    expect(shifted(day, -1, today).date).toBe('2026-11-27');
    expect(shifted({ ...day, date: '2026-12-31' }, 1, today).date).toBe('2027-01-01');
    expect(shifted({ ...day, view: 'week' }, 1, today).date).toBe('2026-12-05');
    expect(daysOf({ ...day, view: 'week' }, today)).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ]);
  });

  it('names the view in words', () => {
    expect(describeView(agenda, today)).toBe('From today on');
    expect(describeView({ ...agenda, view: 'day', date: '2026-11-30' }, today)).toMatch(
      /Monday.*November 30.*2026/,
    );
    expect(describeView({ ...agenda, view: 'week' }, today)).toMatch(/^Week of Nov 23 – Nov 29, 2026$/);
  });
});

describe('fitsView: what the server would list', () => {
  const range = { from: '2026-11-28T00:00:00.000Z', to: '2026-11-29T00:00:00.000Z' };
  const a = makeAppointment({
    startsAt: '2026-11-28T09:00:00.000Z',
    status: 'confirmed',
    notes: 'Bring X-rays',
  });
  it('checks the range (from inclusive, to exclusive), the statuses and the search', () => {
    expect(fitsView(a, agenda, range)).toBe(true);
    expect(fitsView({ ...a, startsAt: range.to }, agenda, range)).toBe(false);
    expect(fitsView({ ...a, startsAt: range.from }, agenda, range)).toBe(true);
    expect(fitsView(a, { ...agenda, status: ['scheduled'] }, range)).toBe(false);
    expect(fitsView(a, { ...agenda, status: ['scheduled', 'confirmed'] }, range)).toBe(true);
    expect(fitsView(a, { ...agenda, q: 'x-RAYS' }, range)).toBe(true);
    expect(fitsView(a, { ...agenda, q: 'MAYA@example' }, range)).toBe(true);
    expect(fitsView(a, { ...agenda, q: 'nobody' }, range)).toBe(false);
    expect(fitsView(a, agenda, { from: range.from })).toBe(true);
  });

  it('without its notes (an appointment.created frame), a search only they could match is "unknown"', () => {
    const { notes: _notes, ...noNotes } = a;
    expect(fitsView(noNotes, { ...agenda, q: 'x-rays' }, range)).toBe('unknown');
    expect(fitsView(noNotes, { ...agenda, q: 'maya' }, range)).toBe(true);
    expect(fitsView(noNotes, { ...agenda, q: 'x-rays', status: ['cancelled'] }, range)).toBe(false);
  });
});
