import { create } from 'zustand';
import { sessionStarted } from '@/lib/sign-out';
import type { User } from '@/lib/api/models';

const KEY = 'slotlock.auth';

interface StoredSession {
  token: string;
  expiresAt: string;
  user: User;
}

/** Why the sign-in page is showing, when it is not a first visit: said there in plain words. */
export interface SignInNotice {
  kind: 'session-ended';
  /** Unsaved changes kept in this browser were removed with the session. */
  draftsRemoved: boolean;
}

interface AuthState {
  token: string | null;
  expiresAt: string | null;
  user: User | null;
  notice: SignInNotice | null;
  signIn: (s: StoredSession) => void;
  setUser: (u: User) => void;
  clear: (notice?: SignInNotice | null) => void;
}

function load(): StoredSession | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as StoredSession;
    if (!s.token || !s.user || Date.parse(s.expiresAt) <= Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

const initial = typeof localStorage === 'undefined' ? null : load();

/** The session survives reloads: the token lives in localStorage. */
export const useAuthStore = create<AuthState>((set, get) => ({
  token: initial?.token ?? null,
  expiresAt: initial?.expiresAt ?? null,
  user: initial?.user ?? null,
  notice: null,
  signIn: (s) => {
    localStorage.setItem(KEY, JSON.stringify(s));
    sessionStarted();
    set({ token: s.token, expiresAt: s.expiresAt, user: s.user, notice: null });
  },
  setUser: (user) => {
    const { token, expiresAt } = get();
    if (token && expiresAt) localStorage.setItem(KEY, JSON.stringify({ token, expiresAt, user }));
    set({ user });
  },
  clear: (notice = null) => {
    localStorage.removeItem(KEY);
    set({ token: null, expiresAt: null, user: null, notice });
  },
}));

/** For tests and for a sign-in in another tab. */
export function reloadAuthFromStorage() {
  const s = load();
  if (s) sessionStarted();
  useAuthStore.setState({ token: s?.token ?? null, expiresAt: s?.expiresAt ?? null, user: s?.user ?? null });
}
