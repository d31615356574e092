import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useClinicConfig } from '@/lib/clinic-time';
import { mockApi } from '@/testing/mock-api';
import { renderWithApp } from '@/testing/render';
import { SignInPage } from './sign-in-page';

/** Says when the configuration has answered: the page beside it has had the answer too. */
function ConfigProbe() {
  return <output data-testid="config">{useClinicConfig().loaded ? 'loaded' : 'loading'}</output>;
}

describe('SignInPage', () => {
  it('shows the demo accounts when the server runs --demo', async () => {
    mockApi().on('GET /api/config', { status: 200, body: { timeZone: 'UTC', demo: true } });
    renderWithApp(<SignInPage />, { path: '/sign-in' });
    expect(await screen.findByTestId('demo-credentials')).toHaveTextContent('alice@example.com / alice-demo');
  });

  it('does not advertise them on a real clinic’s server (demo false, or no answer)', async () => {
    for (const reply of [{ status: 200, body: { timeZone: 'UTC', demo: false } }, { status: 404 }]) {
      mockApi().on('GET /api/config', reply);
      const { unmount } = renderWithApp(
        <>
          <SignInPage />
          <ConfigProbe />
        </>,
        { path: '/sign-in' },
      );
      await waitFor(() => expect(screen.getByTestId('config')).toHaveTextContent('loaded'));
      expect(screen.getByRole('heading', { name: 'Sign in to slotlock' })).toBeInTheDocument();
      expect(screen.queryByTestId('demo-credentials')).toBeNull();
      unmount();
    }
  });
});
