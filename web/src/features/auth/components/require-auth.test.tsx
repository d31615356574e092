import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { useAuthStore } from '../stores/auth-store';
import { RequireAuth } from './require-auth';
import { safeNext } from './sign-in-page';

function SignInProbe() {
  const l = useLocation();
  return <p>sign-in at {l.pathname + l.search}</p>;
}

describe('RequireAuth', () => {
  it('sends a signed-out visitor to sign-in, keeping the wanted page', () => {
    useAuthStore.getState().clear();
    render(
      <MemoryRouter initialEntries={['/appointments/a1?x=1']}>
        <Routes>
          <Route path="/sign-in" element={<SignInProbe />} />
          <Route path="*" element={<RequireAuth>secret</RequireAuth>} />
        </Routes>
      </MemoryRouter>,
    );
    expect(screen.getByText(/sign-in at/)).toHaveTextContent(
      `sign-in at /sign-in?next=${encodeURIComponent('/appointments/a1?x=1')}`,
    );
  });

  it('only follows same-app next paths', () => {
    expect(safeNext('/appointments/a1')).toBe('/appointments/a1');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
