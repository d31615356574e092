export interface Throttled<T> {
  /** Offer the newest value: sent now, or as the trailing value of this interval. */
  push: (value: T) => void;
  /** Forget a pending trailing value (the pointer left the form). */
  cancel: () => void;
}

interface ThrottleOptions {
  intervalMs: number;
  now?: () => number;
}

/**
 * At most one `send` per `intervalMs` (pointers, the holder's draft). The first value goes out at once; values in
 * between are coalesced and the newest goes out when the interval ends, so the last
 * position a pointer rested at is always delivered.
 */
export function throttle<T>(
  send: (value: T) => void,
  { intervalMs, now = Date.now }: ThrottleOptions,
): Throttled<T> {
  let last = -Infinity;
  let pending: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    timer = null;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    last = now();
    send(value);
  };

  return {
    push(value) {
      const elapsed = now() - last;
      if (elapsed >= intervalMs && !timer) {
        last = now();
        send(value);
        return;
      }
      pending = { value };
      timer ??= setTimeout(flush, Math.max(0, intervalMs - elapsed));
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
