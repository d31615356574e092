import { useState } from 'react';
import type { AppointmentLock } from '@/lib/api/models';
import type { ControlRequest, LockMode } from '../stores/lock-store';
import { useCountdown } from './use-countdown';

/** The moments a countdown is spoken: a minute left, ten seconds left. Never every second. */
export const ANNOUNCE_AT_MS = [60_000, 10_000] as const;

/** The smallest threshold already reached (`ms` at or below it), or null. */
export function thresholdReached(ms: number, thresholds: readonly number[] = ANNOUNCE_AT_MS): number | null {
  let reached: number | null = null;
  for (const t of thresholds) if (ms <= t && (reached === null || t < reached)) reached = t;
  return reached;
}

const spoken = (ms: number) =>
  ms >= 60_000 ? `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}` : `${ms / 1000} seconds`;

interface Heard {
  token: number | null;
  threshold: number | null;
  request: string | null;
  message: string;
}

/**
 * What the page's live region says about the lock. It changes only on an event — someone
 * starts editing, the appointment is free, a control request arrives — or when the lock's
 * countdown reaches a threshold; the visible timer ticks on without being read out.
 */
export function useLockAnnouncement(
  lock: AppointmentLock | null,
  mode: LockMode,
  controlRequest: ControlRequest | null,
): string {
  const left = useCountdown(lock?.expiresAt);
  const token = lock?.fencingToken ?? null;
  const threshold = lock ? thresholdReached(left) : null;
  const askedMe = mode === 'mine' && controlRequest ? controlRequest : null;
  const request = askedMe?.deadline ?? null;
  const [heard, setHeard] = useState<Heard>({ token, threshold, request, message: '' });

  // Derived from the previous render (not an effect): the new text is there in the same render.
  if (heard.token !== token || heard.threshold !== threshold || heard.request !== request) {
    let message = heard.message;
    if (heard.token !== token)
      message = !lock
        ? 'The appointment is free.'
        : mode === 'mine'
          ? 'You are now editing.'
          : `${lock.userInfo.name} is now editing.`;
    else if (request && request !== heard.request && askedMe)
      message = `${askedMe.by.name} asks to take over editing.`;
    else if (lock && threshold !== null && (heard.threshold === null || threshold < heard.threshold))
      message =
        mode === 'mine'
          ? `Your editing lock expires in ${spoken(threshold)}. Keep editing to stay.`
          : `${lock.userInfo.name}'s lock expires in ${spoken(threshold)} unless they keep working.`;
    setHeard({ token, threshold, request, message });
  }
  return heard.message;
}
