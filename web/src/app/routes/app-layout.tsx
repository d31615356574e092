import { Link, NavLink, Outlet } from 'react-router';
import { RequireAuth, UserMenu, useAuthStore } from '@/features/auth';
import { OfferPrompts } from '@/features/waiting';
import { useFeedSocket } from '@/lib/feed-socket';

/** Skips the header: focus (and the screen reader) goes to the page's content. */
function SkipLink() {
  return (
    <a
      href="#main"
      className="sr-only rounded-md bg-neutral-900 px-4 py-2 text-sm font-medium text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
      onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
    >
      Skip to content
    </a>
  );
}

/** This tab's list feed, open while signed in on any page (it also keeps a place in a waiting line). */
function FeedSocket() {
  useFeedSocket();
  return null;
}

export function AppLayout() {
  const isAdmin = useAuthStore((s) => s.user?.role === 'admin');
  const me = useAuthStore((s) => s.user);
  return (
    <RequireAuth>
      <FeedSocket />
      <div className="min-h-screen">
        <SkipLink />
        <header className="sticky top-0 z-30 border-b border-neutral-200 bg-white">
          <div className="mx-auto flex h-14 max-w-5xl items-center justify-between px-4 sm:px-6">
            <Link to="/" className="flex min-h-6 items-center gap-2 rounded-md font-semibold tracking-tight">
              <span
                className="flex size-7 items-center justify-center rounded-md bg-neutral-900 text-sm text-white"
                aria-hidden="true"
              >
                s
              </span>
              slotlock
            </Link>
            <nav aria-label="Main" className="flex items-center gap-4">
              {isAdmin && (
                <NavLink
                  to="/audit"
                  className={({ isActive }) =>
                    `inline-flex min-h-8 items-center rounded-md px-2 text-sm font-medium ${isActive ? 'text-neutral-900 underline underline-offset-4' : 'text-neutral-600 hover:text-neutral-900'}`
                  }
                >
                  Audit
                </NavLink>
              )}
              <UserMenu />
            </nav>
          </div>
        </header>
        {/* After the header in reading order, before the page: a turn to edit is reached quickly. */}
        {me && <OfferPrompts me={me} />}
        <main
          id="main"
          tabIndex={-1}
          className="mx-auto max-w-5xl px-4 py-6 focus:outline-none sm:px-6 sm:py-8"
        >
          <Outlet />
        </main>
      </div>
    </RequireAuth>
  );
}
