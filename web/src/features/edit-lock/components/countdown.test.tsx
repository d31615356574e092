import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatCountdown, msUntil, observeServerTime, useServerClock } from '@/lib/server-clock';
import { Countdown } from './countdown';

describe('formatCountdown', () => {
  it('shows m:ss and never goes below zero', () => {
    expect(formatCountdown(300_000)).toBe('5:00');
    expect(formatCountdown(61_000)).toBe('1:01');
    expect(formatCountdown(9_000)).toBe('0:09');
    expect(formatCountdown(-5_000)).toBe('0:00');
  });

  it('msUntil corrects by the server offset', () => {
    const now = Date.parse('2026-11-28T09:59:00.000Z');
    expect(msUntil('2026-11-28T10:03:00.000Z', 60_000, now)).toBe(180_000);
  });
});

describe('<Countdown>', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useServerClock.setState({ offsetMs: 0 });
  });
  afterEach(() => vi.useRealTimers());

  it('counts down to expiresAt on the server clock, not the browser clock', () => {
    // The browser's clock runs a minute behind the server's.
    vi.setSystemTime(new Date('2026-11-28T09:59:00.000Z'));
    observeServerTime('2026-11-28T10:00:00.000Z');
    expect(useServerClock.getState().offsetMs).toBe(60_000);

    render(<Countdown until="2026-11-28T10:03:00.000Z" />);
    // Uncorrected it would say 4:00.
    expect(screen.getByRole('timer')).toHaveTextContent('3:00');

    act(() => void vi.advanceTimersByTime(1_000));
    expect(screen.getByRole('timer')).toHaveTextContent('2:59');

    act(() => void vi.advanceTimersByTime(61_000));
    expect(screen.getByRole('timer')).toHaveTextContent('1:58');
  });

  it('a browser clock ahead of the server is corrected too, and it stops at 0:00', () => {
    vi.setSystemTime(new Date('2026-11-28T10:02:00.000Z'));
    observeServerTime('2026-11-28T10:00:00.000Z'); // browser 2 min ahead
    render(<Countdown until="2026-11-28T10:00:30.000Z" />);
    expect(screen.getByRole('timer')).toHaveTextContent('0:30');
    act(() => void vi.advanceTimersByTime(45_000));
    expect(screen.getByRole('timer')).toHaveTextContent('0:00');
  });
});
