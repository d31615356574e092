import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { AppProviders } from './providers';
import { makeRouter } from './router';
import { setUpAuth } from './set-up-auth';

setUpAuth();

export function App() {
  const [router] = useState(makeRouter);
  return (
    <AppProviders>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
