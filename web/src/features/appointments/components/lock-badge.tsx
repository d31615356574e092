import { useEffect, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { formatDuration } from '@/lib/format';
import { useServerClock } from '@/lib/server-clock';
import type { AppointmentLock } from '@/lib/types';

function useNow(intervalMs: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

/** "Alice Martin is editing · 2 min" */
export function LockBadge({ lock }: { lock: AppointmentLock }) {
  const offset = useServerClock((s) => s.offsetMs);
  const now = useNow(15_000);
  const since = formatDuration(now + offset - Date.parse(lock.acquiredAt));
  return (
    <Badge tone="amber" className="max-w-full">
      <svg viewBox="0 0 16 16" className="size-3 shrink-0" fill="currentColor" aria-hidden="true">
        <path d="M5 7V5a3 3 0 1 1 6 0v2h.5A1.5 1.5 0 0 1 13 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 3 13.5v-5A1.5 1.5 0 0 1 4.5 7H5Zm1.5 0h3V5a1.5 1.5 0 0 0-3 0v2Z" />
      </svg>
      <span className="truncate">
        {lock.userInfo.name} is editing · {since}
      </span>
    </Badge>
  );
}
