import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { normalise } from './position';
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

describe('normalise', () => {
  const box = { left: 100, top: 50, width: 400, height: 200 };

  it('gives fractions of the box', () => {
    expect(normalise(300, 100, box)).toEqual({ x: 0.5, y: 0.25 });
    expect(normalise(100, 50, box)).toEqual({ x: 0, y: 0 });
    expect(normalise(500, 250, box)).toEqual({ x: 1, y: 1 });
  });

  it('is null outside the box or for an empty box', () => {
    expect(normalise(99, 100, box)).toBeNull();
    expect(normalise(300, 251, box)).toBeNull();
    expect(normalise(0, 0, { left: 0, top: 0, width: 0, height: 0 })).toBeNull();
  });
});
