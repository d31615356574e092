import { act, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider, useSearchParams } from 'react-router';
import { describe, expect, it } from 'vitest';
import { PageHeading } from './page-heading';

function List() {
  const [, setParams] = useSearchParams();
  return (
    <>
      <PageHeading>Appointments</PageHeading>
      <button onClick={() => setParams({ q: 'x' }, { replace: true })}>Filter</button>
    </>
  );
}

function setUp() {
  const router = createMemoryRouter([
    { path: '/', element: <List /> },
    { path: '/audit', element: <PageHeading>Audit log</PageHeading> },
  ]);
  render(<RouterProvider router={router} />);
  return router;
}

describe('PageHeading', () => {
  it('titles the tab; the first page of a visit keeps focus where the browser put it', () => {
    setUp();
    expect(document.title).toBe('Appointments · slotlock');
    expect(screen.getByRole('heading', { name: 'Appointments' })).not.toHaveFocus();
  });

  it('after a navigation the new heading has focus and names the tab', async () => {
    const router = setUp();
    await act(() => router.navigate('/audit'));
    expect(screen.getByRole('heading', { name: 'Audit log' })).toHaveFocus();
    expect(document.title).toBe('Audit log · slotlock');
  });

  it('a query-string change (a filter) does not move focus', async () => {
    const router = setUp();
    await act(() => router.navigate('/audit'));
    await act(() => router.navigate('/'));
    const filter = screen.getByRole('button', { name: 'Filter' });
    filter.focus();
    act(() => filter.click());
    expect(router.state.location.search).toBe('?q=x');
    expect(filter).toHaveFocus();
  });
});
