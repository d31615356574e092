import { Button } from '@/components/ui/button';
import { useLogout } from '../api/logout';
import { useAuthStore } from '../stores/auth-store';

export function UserMenu() {
  const user = useAuthStore((s) => s.user);
  const logout = useLogout();
  if (!user) return null;
  return (
    <div className="flex items-center gap-3">
      <div className="hidden text-right sm:block">
        <div className="text-sm font-medium text-neutral-900">{user.name}</div>
        <div className="text-xs text-neutral-600">
          {user.email}
          {user.role === 'admin' && ' · admin'}
        </div>
      </div>
      <Button size="sm" variant="ghost" loading={logout.isPending} onClick={() => logout.mutate()}>
        Sign out
      </Button>
    </div>
  );
}
