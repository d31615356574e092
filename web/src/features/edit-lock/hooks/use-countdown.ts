import { useEffect, useState } from 'react';
import { msUntil, useServerClock } from '@/lib/server-clock';

/** Milliseconds left until `iso` on the server's clock, re-rendered a few times a second. */
export function useCountdown(iso: string | null | undefined, tickMs = 250): number {
  const offset = useServerClock((s) => s.offsetMs);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!iso) return;
    const t = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(t);
  }, [iso, tickMs]);
  return iso ? msUntil(iso, offset, now) : 0;
}
