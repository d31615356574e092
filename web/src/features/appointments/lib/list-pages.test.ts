import { describe, expect, it } from 'vitest';
import { makeAppointment } from '@/testing/fixtures';
import type { AppointmentListItem } from '@/lib/api/models';
import { allItems, removeFromPages, upsertIntoPages, type Pages } from './list-pages';

const item = (id: string, hour: number): AppointmentListItem => ({
  ...makeAppointment({ id, startsAt: `2026-11-28T${String(hour).padStart(2, '0')}:00:00.000Z` }),
  lock: null,
});
const pages = (...p: [AppointmentListItem[], string | null][]): Pages => ({
  pages: p.map(([items, nextCursor]) => ({ items, nextCursor })),
  pageParams: p.map((_, i) => (i === 0 ? null : `c${i}`)),
});
const ids = (d: Pages) => allItems(d).map((i) => i.id);

describe('upsertIntoPages', () => {
  it('puts a new appointment in startsAt order (then id), in the page it belongs to', () => {
    const d = pages([[item('a', 9), item('c', 11)], 'c1'], [[item('d', 12), item('e', 14)], null]);
    expect(ids(upsertIntoPages(d, item('b', 10), true))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ids(upsertIntoPages(d, item('f', 15), true))).toEqual(['a', 'c', 'd', 'e', 'f']);
    expect(ids(upsertIntoPages(d, item('0', 8), true))).toEqual(['0', 'a', 'c', 'd', 'e']);
    expect(ids(upsertIntoPages(d, item('bb', 11), true))).toEqual(['a', 'bb', 'c', 'd', 'e']);
  });

  it('leaves one that sorts after everything loaded to "Show more" while pages remain', () => {
    const d = pages([[item('a', 9), item('c', 11)], 'c1']);
    expect(ids(upsertIntoPages(d, item('z', 13), true))).toEqual(['a', 'c']);
  });

  it('moves a saved appointment, and removes it when it no longer fits the view', () => {
    const d = pages([[item('a', 9), item('b', 10), item('c', 11)], null]);
    expect(ids(upsertIntoPages(d, item('a', 12), true))).toEqual(['b', 'c', 'a']);
    expect(ids(upsertIntoPages(d, item('b', 10), false))).toEqual(['a', 'c']);
  });

  it('an empty view gets its first appointment', () => {
    expect(ids(upsertIntoPages(pages([[], null]), item('a', 9), true))).toEqual(['a']);
  });
});

describe('removeFromPages', () => {
  it('removes from whichever page holds it; the same object when it was not there', () => {
    const d = pages([[item('a', 9)], 'c1'], [[item('b', 10)], null]);
    expect(ids(removeFromPages(d, 'b'))).toEqual(['a']);
    expect(removeFromPages(d, 'nope')).toBe(d);
  });
});
