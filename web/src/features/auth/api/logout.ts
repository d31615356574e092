import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { runBeforeSignOut } from '@/lib/sign-out';
import { useAuthStore } from '../stores/auth-store';

/** Whatever must still use the session (releasing a held lock) runs first, then the token is revoked. */
export async function logout() {
  await runBeforeSignOut();
  return api<void>('/auth/logout', { method: 'POST' });
}

export function useLogout() {
  const clear = useAuthStore((s) => s.clear);
  const qc = useQueryClient();
  return useMutation({
    mutationFn: logout,
    // Signed out locally even when the server could not be told.
    onSettled: () => {
      clear();
      qc.clear();
    },
  });
}
