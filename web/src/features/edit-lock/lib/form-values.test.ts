import { describe, expect, it } from 'vitest';
import { makeAppointment } from '@/testing/fixtures';
import { inputOf, rebase } from './form-values';

describe('rebase', () => {
  it("keeps the fields I changed and takes everyone else's newer values for the rest", () => {
    const base = inputOf(makeAppointment({ location: 'Room 1', notes: 'First visit' }));
    const mine = { ...base, notes: 'Bring the X-rays' };
    const latest = { ...base, location: 'Room 4 (moved by Carol)' };
    expect(rebase(mine, base, latest)).toEqual({
      ...base,
      notes: 'Bring the X-rays',
      location: 'Room 4 (moved by Carol)',
    });
  });

  it('my value wins where both changed the same field', () => {
    const base = inputOf(makeAppointment());
    expect(rebase({ ...base, title: 'Mine' }, base, { ...base, title: 'Theirs' }).title).toBe('Mine');
  });
});
