import { LiveRegion } from '@/components/ui/live-region';
import type { AppointmentLock } from '@/lib/types';
import { useLockAnnouncement } from '../hooks/use-lock-announcement';
import { useLockStore, type LockMode } from '../stores/lock-store';

/** The page's one polite live region for the lock (see useLockAnnouncement for when it speaks). */
export function LockAnnouncer({ lock, mode }: { lock: AppointmentLock | null; mode: LockMode }) {
  const controlRequest = useLockStore((s) => s.controlRequest);
  const deleted = useLockStore((s) => s.deleted);
  const message = useLockAnnouncement(lock, mode, controlRequest);
  const gone = deleted && `${deleted.by?.name ?? 'Someone'} deleted this appointment.`;
  return <LiveRegion message={gone || message} testId="lock-announcer" />;
}
