import { reloadAuthFromStorage, useAuthStore } from '@/features/auth';
import { configureApiClient } from '@/lib/api-client';

/**
 * Wires the token into every request. A 401 clears the session; the route
 * guard then sends the person to sign-in with the page they wanted in `?next=`.
 */
export function setUpAuth() {
  configureApiClient({
    getToken: () => useAuthStore.getState().token,
    onUnauthenticated: () => useAuthStore.getState().clear(),
  });
  // Signing in or out in another tab applies here too.
  window.addEventListener('storage', (e) => {
    if (e.key === 'slotlock.auth') reloadAuthFromStorage();
  });
}
