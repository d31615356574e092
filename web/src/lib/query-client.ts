import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client';

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // A 4xx will not get better by asking again.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

/** Hierarchical keys: invalidating ['appointments'] refreshes the list and every detail. */
export const queryKeys = {
  appointments: ['appointments'] as const,
  appointmentList: () => ['appointments', 'list'] as const,
  appointment: (id: string) => ['appointments', 'detail', id] as const,
  lockStatus: (id: string) => ['appointments', 'detail', id, 'lock-status'] as const,
  appointmentPages: (params: object) => ['appointments', 'list', 'pages', params] as const,
  conflicts: (params: object) => ['appointments', 'conflicts', params] as const,
  config: ['config'] as const,
  me: ['me'] as const,
  audit: ['audit'] as const,
  auditLog: (filters: object) => ['audit', 'log', filters] as const,
  users: ['users'] as const,
};
