/**
 * Asks once, when the person chose to be told (Notify me when free), never on load; the app
 * works the same without it (toast and tab title).
 */
export function askNotificationPermission() {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  try {
    void Notification.requestPermission().catch(() => {});
  } catch {
    // an old browser's callback-only form: not worth a fallback
  }
}
