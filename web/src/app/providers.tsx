import { useEffect, useState, type ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { Toaster } from 'sonner';
import { makeQueryClient } from '@/lib/query-client';
import { onSessionEnd } from '@/lib/sign-out';

export function AppProviders({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  // Another person may sign in next on this computer: nothing of this session stays cached.
  useEffect(() => onSessionEnd(() => client.clear()), [client]);
  return (
    <QueryClientProvider client={client}>
      {children}
      <Toaster position="bottom-right" richColors closeButton />
    </QueryClientProvider>
  );
}
