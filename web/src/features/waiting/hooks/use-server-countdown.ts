import { useEffect, useState } from 'react';
import { msUntil, useServerClock } from '@/lib/server-clock';

/** Milliseconds until `iso` on the server's clock, re-rendered every `tickMs`. */
export function useServerCountdown(iso: string, tickMs = 250): number {
  const offset = useServerClock((s) => s.offsetMs);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(t);
  }, [iso, tickMs]);
  return msUntil(iso, offset, now);
}
