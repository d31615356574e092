import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { useAuthStore } from '../stores/auth-store';

export function logout() {
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
