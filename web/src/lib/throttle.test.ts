import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle';

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first value at once and at most one per interval, the newest last', () => {
    const sent: number[] = [];
    const t = throttle<number>((v) => sent.push(v), { intervalMs: 50 });
    t.push(1);
    t.push(2);
    t.push(3);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(49);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([1, 3]); // 2 was coalesced away
  });

  it('never exceeds 20 messages in any second under a 1 kHz stream of moves', () => {
    const at: number[] = [];
    let last = -1;
    const t = throttle<number>(
      (v) => {
        at.push(Date.now());
        last = v;
      },
      { intervalMs: 50 },
    );
    for (let ms = 0; ms < 2000; ms++) {
      t.push(ms);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    for (let i = 0; i + 20 < at.length; i++) expect(at[i + 20]! - at[i]!).toBeGreaterThanOrEqual(1000);
    expect(at.length).toBeGreaterThanOrEqual(39);
    expect(last).toBe(1999); // where the pointer came to rest
  });

  it('cancel drops a pending value: nothing is sent after the pointer left', () => {
    const sent: number[] = [];
    const t = throttle<number>((v) => sent.push(v), { intervalMs: 50 });
    t.push(1);
    t.push(2);
    t.cancel();
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([1]);
  });

  it('a value after a quiet interval goes out at once', () => {
    const sent: number[] = [];
    const t = throttle<number>((v) => sent.push(v), { intervalMs: 50 });
    t.push(1);
    vi.advanceTimersByTime(80);
    t.push(2);
    expect(sent).toEqual([1, 2]);
  });
});
