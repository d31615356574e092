import { Badge } from '@/components/ui/badge';
import { useClinicTime } from '@/lib/clinic-time';
import type { AppointmentLock } from '@/lib/api/models';

/** "Alice Martin is editing · since 10:32" (the clinic's time). */
export function LockBadge({ lock }: { lock: AppointmentLock }) {
  const t = useClinicTime();
  return (
    <Badge tone="amber" className="max-w-full">
      <svg viewBox="0 0 16 16" className="size-3 shrink-0" fill="currentColor" aria-hidden="true">
        <path d="M5 7V5a3 3 0 1 1 6 0v2h.5A1.5 1.5 0 0 1 13 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 3 13.5v-5A1.5 1.5 0 0 1 4.5 7H5Zm1.5 0h3V5a1.5 1.5 0 0 0-3 0v2Z" />
      </svg>
      <span className="truncate">
        {lock.userInfo.name} is editing · since{' '}
        <time dateTime={lock.acquiredAt}>{t.time(lock.acquiredAt)}</time>
      </span>
    </Badge>
  );
}
