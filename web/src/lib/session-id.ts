const KEY = 'slotlock.sessionId';

/** One id per browser tab: sessionStorage survives reloads but not a new tab. */
export function getSessionId(): string {
  let id = sessionStorage.getItem(KEY);
  if (!id) {
    id = typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : fallbackId();
    sessionStorage.setItem(KEY, id);
  }
  return id;
}

function fallbackId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}
