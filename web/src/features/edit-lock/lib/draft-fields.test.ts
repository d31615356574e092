import { describe, expect, it } from 'vitest';
import { inputOf } from './form-values';
import { DRAFT_MAX_BYTES, draftFields, draftKey, fitDraft, unsavedFields, withDraft } from './draft-fields';
import { makeAppointment } from '@/testing/fixtures';

const saved = inputOf(makeAppointment());

describe('draft fields', () => {
  it('only what differs from the saved version, times as instants read in the clinic zone', () => {
    const shown = withDraft(saved, {}, 'Europe/Berlin');
    expect(draftFields(shown, saved, 'Europe/Berlin')).toEqual({});
    const typed = { ...shown, title: 'New', startsAt: '2026-11-29T10:30' };
    expect(draftFields(typed, saved, 'Europe/Berlin')).toEqual({
      title: 'New',
      startsAt: '2026-11-29T09:30:00.000Z',
    });
  });

  it('the same fields give the same key whatever their order', () => {
    expect(draftKey({ title: 'a', notes: 'b' })).toBe(draftKey({ notes: 'b', title: 'a' }));
    expect(draftKey({ title: 'a' })).not.toBe(draftKey({ title: 'b' }));
  });

  it('marks only fields really typed differently (a same-minute time is no change)', () => {
    const marked = unsavedFields(
      saved,
      { title: saved.title, startsAt: '2026-11-29T09:00:30.000Z', notes: 'x' },
      'UTC',
    );
    expect([...marked]).toEqual(['notes']);
  });

  it('a draft over the frame limit leaves out the notes, not the frame', () => {
    const small = { title: 'Check-up', notes: 'short' };
    expect(fitDraft(small)).toBe(small);
    const huge = { title: 'Check-up', notes: '書'.repeat(5000) + '書'.repeat(1000) };
    const fitted = fitDraft(huge);
    expect(fitted).toEqual({ title: 'Check-up' });
    expect(new TextEncoder().encode(JSON.stringify({ type: 'draft', fields: huge })).length).toBeGreaterThan(
      DRAFT_MAX_BYTES,
    );
  });
});
