import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { clearAllDrafts, readDraft, useDraft, writeDraft, type Draft } from './draft';

const draft: Draft = {
  values: {
    title: 'Dental check-up',
    clientName: 'Maya Patel',
    clientEmail: 'maya@example.org',
    startsAt: '2026-11-29T09:00:00.000Z',
    endsAt: '2026-11-29T09:30:00.000Z',
    location: 'Room 1',
    notes: 'Allergic to latex',
    status: 'scheduled',
  },
  baseVersion: 3,
  savedAt: '2026-11-28T10:00:00.000Z',
};

describe('clearAllDrafts', () => {
  it('removes every draft and set-aside draft of every user, and nothing else', () => {
    writeDraft('draft', 'u-alice', 'a1', draft);
    writeDraft('rejected', 'u-alice', 'a2', { ...draft, reason: 'conflict' });
    writeDraft('draft', 'u-bob', 'a1', draft);
    localStorage.setItem('slotlock.auth', '{"token":"t"}');
    localStorage.setItem('unrelated', 'x');
    sessionStorage.setItem('slotlock.sessionId', 'tab-1');

    expect(clearAllDrafts()).toBe(3);

    expect(readDraft('draft', 'u-alice', 'a1')).toBeNull();
    expect(readDraft('rejected', 'u-alice', 'a2')).toBeNull();
    expect(readDraft('draft', 'u-bob', 'a1')).toBeNull();
    expect(JSON.stringify({ ...localStorage })).not.toContain('Maya Patel');
    expect(localStorage.getItem('slotlock.auth')).toBe('{"token":"t"}'); // the caller decides about the token
    expect(localStorage.getItem('unrelated')).toBe('x');
    expect(sessionStorage.getItem('slotlock.sessionId')).toBe('tab-1');
    expect(clearAllDrafts()).toBe(0);
  });

  it('a page showing a draft stops showing it', () => {
    writeDraft('rejected', 'u-alice', 'a1', draft);
    const { result } = renderHook(() => useDraft('rejected', 'u-alice', 'a1'));
    expect(result.current?.values.notes).toBe('Allergic to latex');
    act(() => void clearAllDrafts());
    expect(result.current).toBeNull();
  });
});
