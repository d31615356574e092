import { describe, expect, it } from 'vitest';
import { makeAppointment } from '@/testing/fixtures';
import { inputOf, rebase, toFormValues, toInput } from './form-values';

describe('rebase', () => {
  it("keeps the fields I changed and takes everyone else's newer values for the rest", () => {
    const base = inputOf(makeAppointment({ location: 'Room 1', notes: 'First visit' }));
    const mine = { ...base, notes: 'Bring the X-rays' };
    const latest = { ...base, location: 'Room 4 (moved by Carol)' };
    expect(rebase(mine, base, latest, 'UTC')).toEqual({
      ...base,
      notes: 'Bring the X-rays',
      location: 'Room 4 (moved by Carol)',
    });
  });

  it('my value wins where both changed the same field', () => {
    const base = inputOf(makeAppointment());
    expect(rebase({ ...base, title: 'Mine' }, base, { ...base, title: 'Theirs' }, 'UTC').title).toBe('Mine');
  });
});

describe('datetime-local values in the clinic zone', () => {
  const a = inputOf(
    makeAppointment({ startsAt: '2026-11-29T09:00:00.000Z', endsAt: '2026-11-29T09:30:00.000Z' }),
  );

  it("shows the clinic's wall clock, whatever the browser's zone", () => {
    expect(toFormValues(a, 'Europe/Berlin').startsAt).toBe('2026-11-29T10:00');
    expect(toFormValues(a, 'America/New_York').startsAt).toBe('2026-11-29T04:00');
    expect(toFormValues(a, 'UTC').endsAt).toBe('2026-11-29T09:30');
  });

  it('reads a typed time in the clinic zone; a half-typed one stays as typed', () => {
    const v = { ...toFormValues(a, 'Europe/Berlin'), startsAt: '2026-07-01T08:15', endsAt: '2026-07-01' };
    const input = toInput(v, 'Europe/Berlin');
    expect(input.startsAt).toBe('2026-07-01T06:15:00.000Z'); // summer time: UTC+2
    expect(input.endsAt).toBe('2026-07-01');
  });
});
