import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { signOut } from '@/lib/sign-out';

/**
 * Whatever must still use the session (releasing a held lock) runs first, then the token is
 * revoked; the session then ends here (token, drafts, cached data) even when the server
 * could not be told.
 */
export function logout() {
  return signOut(() => api<void>('/auth/logout', { method: 'POST' }));
}

export function useLogout() {
  return useMutation({ mutationFn: logout });
}
