export { useAuthStore, reloadAuthFromStorage } from './stores/auth-store';
export { SignInPage } from './components/sign-in-page';
export { RequireAuth } from './components/require-auth';
export { UserMenu } from './components/user-menu';
export { useMe } from './api/get-me';
