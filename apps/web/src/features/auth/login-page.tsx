import { Alert, Button, Center, Loader, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Navigate, useRouter, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { authApi, SETUP_STATUS_KEY } from './auth-api.ts';
import { errorMessage } from './auth-errors.ts';
import { AuthShell } from './auth-shell.tsx';
import { safeNext } from './safe-next.ts';

/** Sign in with email and password, then continue to `?next=` (a path on this site) or the inbox. */
export function LoginPage() {
  const { t } = useTranslation();
  const { session, isLoading, setSession } = useSession();
  const router = useRouter();
  const search = useSearch({ from: '/login' });
  const next = safeNext(search.next);
  const status = useQuery({
    queryKey: SETUP_STATUS_KEY,
    queryFn: authApi.setupStatus,
    enabled: !session && !isLoading,
  });

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});

  const login = useMutation({
    mutationFn: authApi.login,
    // The effect below moves on once the session is there.
    onSuccess: (s) => setSession(s),
    onError: () => setPassword(''),
  });

  useEffect(() => {
    if (session) router.history.replace(next);
  }, [session, next, router]);

  if (isLoading || session || status.isLoading) {
    return (
      <Center h="100dvh">
        <Loader aria-label={t('common:states.loading')} />
      </Center>
    );
  }
  if (status.data?.needsSetup) return <Navigate to="/setup" />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const m: typeof missing = {};
    if (!email.trim()) m.email = t('auth:validation.emailRequired');
    if (!password) m.password = t('auth:validation.passwordRequired');
    setMissing(m);
    if (m.email || m.password) return;
    login.mutate({ email: email.trim(), password });
  };

  const err = login.error;
  const locked = err instanceof ApiError && (err.code === 'LOCKED_OUT' || err.status === 429);

  return (
    <AuthShell title={t('auth:login.title')} subtitle={t('auth:login.subtitle')}>
      <form onSubmit={onSubmit} noValidate data-testid="login-form">
        <Stack gap="sm">
          {err && (
            <Alert
              color={locked ? 'orange' : 'red'}
              role="alert"
              title={locked ? t('auth:login.lockedTitle') : undefined}
              data-testid="login-error"
            >
              {errorMessage(t, err)}
            </Alert>
          )}
          <TextInput
            label={t('auth:fields.email')}
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={missing.email}
            data-testid="login-email"
          />
          <PasswordInput
            label={t('auth:fields.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={missing.password}
            data-testid="login-password"
          />
          <Button type="submit" loading={login.isPending} fullWidth mt="xs" data-testid="login-submit">
            {t('auth:login.submit')}
          </Button>
        </Stack>
      </form>
    </AuthShell>
  );
}
