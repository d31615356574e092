import { LiveRegion } from '@/components/ui/live-region';
import type { AppointmentLock } from '@/lib/types';
import { useLockAnnouncement } from '../hooks/use-lock-announcement';
import { useLockStore, type LockMode } from '../stores/lock-store';

/** The page's one polite live region for the lock (see useLockAnnouncement for when it speaks). */
export function LockAnnouncer({ lock, mode }: { lock: AppointmentLock | null; mode: LockMode }) {
  const controlRequest = useLockStore((s) => s.controlRequest);
  return <LiveRegion message={useLockAnnouncement(lock, mode, controlRequest)} testId="lock-announcer" />;
}
