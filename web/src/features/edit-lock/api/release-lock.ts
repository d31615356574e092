import { api, authHeader } from '@/lib/api-client';

export function releaseLock(appointmentId: string, opts: { force?: boolean } = {}) {
  const q = opts.force ? '?force=true' : '';
  return api<{ released: boolean }>(`/appointments/${encodeURIComponent(appointmentId)}/release-lock${q}`, {
    method: 'DELETE',
  });
}

/** For `pagehide`: a keepalive request outlives the page; nothing waits for the answer. */
export function releaseLockOnPageHide(appointmentId: string) {
  try {
    void fetch(`/api/appointments/${encodeURIComponent(appointmentId)}/release-lock`, {
      method: 'DELETE',
      keepalive: true,
      headers: authHeader(),
    }).catch(() => {});
  } catch {
    // the disconnect grace on the server is the fallback
  }
}
