import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { User } from '@/lib/api/models';
import { useAuthStore } from '../stores/auth-store';

export interface LoginInput {
  email: string;
  password: string;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  user: User;
}

export function login(input: LoginInput) {
  return api<LoginResponse>('/auth/login', { method: 'POST', body: input, anonymous: true });
}

export function useLogin() {
  const signIn = useAuthStore((s) => s.signIn);
  return useMutation({ mutationFn: login, onSuccess: (res) => signIn(res) });
}
