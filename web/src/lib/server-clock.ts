import { create } from 'zustand';

interface ServerClockState {
  /** serverTime − Date.now(), measured when an answer arrives. */
  offsetMs: number;
  observe: (serverTime: string) => void;
}

export const useServerClock = create<ServerClockState>((set) => ({
  offsetMs: 0,
  observe: (serverTime) => {
    const server = Date.parse(serverTime);
    if (Number.isFinite(server)) set({ offsetMs: server - Date.now() });
  },
}));

export function observeServerTime(serverTime: string | undefined) {
  if (serverTime) useServerClock.getState().observe(serverTime);
}

/** Milliseconds until `iso` on the server's clock. */
export function msUntil(iso: string, offsetMs: number, now = Date.now()): number {
  return Date.parse(iso) - (now + offsetMs);
}

export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${s.toString().padStart(2, '0')}`;
}
