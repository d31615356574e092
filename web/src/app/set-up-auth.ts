import { clearAllDrafts } from '@/features/edit-lock';
import { reloadAuthFromStorage, useAuthStore } from '@/features/auth';
import { configureApiClient } from '@/lib/api-client';
import { endSession, onSessionEnd } from '@/lib/sign-out';

/**
 * Wires the token into every request, and says what the end of a session means: the token,
 * every draft (they hold client details) and, in the providers, the cached server data go.
 * The route guard then sends the person to sign-in with the page they wanted in `?next=`;
 * a session that ended under them (401, socket closed with 4001) is said so there.
 */
export function setUpAuth() {
  configureApiClient({
    getToken: () => useAuthStore.getState().token,
    onUnauthenticated: () => endSession('session-ended'),
  });
  onSessionEnd((why) => {
    const wasSignedIn = !!useAuthStore.getState().token;
    const draftsRemoved = clearAllDrafts() > 0;
    useAuthStore
      .getState()
      .clear(why === 'session-ended' && wasSignedIn ? { kind: 'session-ended', draftsRemoved } : null);
  });
  // Signing in or out in another tab applies here too.
  window.addEventListener('storage', (e) => {
    if (e.key !== 'slotlock.auth') return;
    if (e.newValue === null && useAuthStore.getState().token) endSession('session-ended');
    else reloadAuthFromStorage();
  });
}
