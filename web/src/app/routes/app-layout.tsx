import { Link, NavLink, Outlet } from 'react-router';
import { RequireAuth, UserMenu, useAuthStore } from '@/features/auth';

export function AppLayout() {
  const isAdmin = useAuthStore((s) => s.user?.role === 'admin');
  return (
    <RequireAuth>
      <div className="min-h-screen">
        <header className="sticky top-0 z-30 border-b border-neutral-200 bg-white/90 backdrop-blur">
          <div className="mx-auto flex h-14 max-w-5xl items-center justify-between px-4 sm:px-6">
            <Link to="/" className="flex items-center gap-2 font-semibold tracking-tight">
              <span className="flex size-7 items-center justify-center rounded-md bg-neutral-900 text-sm text-white">
                s
              </span>
              slotlock
            </Link>
            <div className="flex items-center gap-4">
              {isAdmin && (
                <NavLink
                  to="/audit"
                  className={({ isActive }) =>
                    `text-sm font-medium ${isActive ? 'text-neutral-900' : 'text-neutral-500 hover:text-neutral-900'}`
                  }
                >
                  Audit
                </NavLink>
              )}
              <UserMenu />
            </div>
          </div>
        </header>
        <main className="mx-auto max-w-5xl px-4 py-6 sm:px-6 sm:py-8">
          <Outlet />
        </main>
      </div>
    </RequireAuth>
  );
}
