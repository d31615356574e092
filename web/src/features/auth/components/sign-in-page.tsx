import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { Button } from '@/components/ui/button';
import { Field, controlClass } from '@/components/ui/field';
import { PageHeading } from '@/components/ui/page-heading';
import { describeError, isApiError } from '@/lib/api-client';
import { useClinicConfig } from '@/lib/clinic-time';
import { useLogin } from '../api/login';
import { useAuthStore } from '../stores/auth-store';

/** Only same-app paths: never send a person to another site after sign-in. */
export function safeNext(next: string | null) {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const token = useAuthStore((s) => s.token);
  const notice = useAuthStore((s) => s.notice);
  const navigate = useNavigate();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Only a server started with --demo has these accounts: a real clinic's page does not advertise them.
  const { demo } = useClinicConfig();

  if (token && !login.isSuccess) return <Navigate to={next} replace />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email, password }, { onSuccess: () => navigate(next, { replace: true }) });
  };

  const error = login.error
    ? isApiError(login.error, 'INVALID_CREDENTIALS')
      ? 'That e-mail and password do not match an account.'
      : describeError(login.error)
    : null;

  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <div
            className="mx-auto mb-3 flex size-10 items-center justify-center rounded-lg bg-neutral-900 text-lg font-bold text-white"
            aria-hidden="true"
          >
            s
          </div>
          <PageHeading title="Sign in">Sign in to slotlock</PageHeading>
          <p className="mt-1 text-sm text-neutral-600">Edit appointments without stepping on each other.</p>
        </div>
        {notice?.kind === 'session-ended' && (
          <div
            role="status"
            className="mb-4 rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200"
            data-testid="sign-in-notice"
          >
            <p className="font-medium">Your session has ended. Sign in again.</p>
            {notice.draftsRemoved && (
              <p className="mt-1">Unsaved changes kept in this browser were removed with it.</p>
            )}
          </div>
        )}
        <form
          onSubmit={onSubmit}
          className="space-y-4 rounded-xl bg-white p-6 shadow-sm ring-1 ring-neutral-200"
          noValidate
        >
          <Field label="E-mail">
            <input
              className={controlClass}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          <Field label="Password">
            <input
              className={controlClass}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          {error && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
              {error}
            </p>
          )}
          <Button type="submit" variant="primary" className="w-full" loading={login.isPending}>
            {login.isPending ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
        {demo && (
          <p className="mt-4 text-center text-xs text-neutral-600" data-testid="demo-credentials">
            Demo: alice@example.com / alice-demo · carol@example.com / carol-demo (admin)
          </p>
        )}
      </div>
    </main>
  );
}
