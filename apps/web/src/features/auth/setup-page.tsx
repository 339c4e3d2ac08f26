import { Alert, Button, Center, Loader, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLocale, type Locale, SUPPORTED_LOCALES } from '../../i18n/index.ts';
import { ApiError } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { authApi, SETUP_STATUS_KEY } from './auth-api.ts';
import { errorMessage, fieldError } from './auth-errors.ts';
import { AuthShell } from './auth-shell.tsx';
import { LANGUAGE_AUTONYMS } from './language-switcher.tsx';
import { PasswordMeter } from './password-meter.tsx';
import { isEmail, passwordProblem } from './validate-password.ts';

interface SetupErrors {
  name?: string;
  email?: string;
  password?: string;
  confirm?: string;
}

/** First run: create the first admin account, who is then signed in. Only reachable while the desk has no staff. */
export function SetupPage() {
  const { t, i18n } = useTranslation();
  const { session, setSession } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: SETUP_STATUS_KEY, queryFn: authApi.setupStatus, staleTime: 0 });

  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [locale, setLocale] = useState<Locale>(
    (SUPPORTED_LOCALES as readonly string[]).includes(i18n.language) ? (i18n.language as Locale) : 'en',
  );
  const [errors, setErrors] = useState<SetupErrors>({});

  const setup = useMutation({
    mutationFn: authApi.setup,
    onSuccess: (s) => {
      qc.setQueryData(SETUP_STATUS_KEY, { needsSetup: false });
      setSession(s);
      void navigate({ to: '/' });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'SETUP_ALREADY_DONE') {
        qc.setQueryData(SETUP_STATUS_KEY, { needsSetup: false });
        return;
      }
      setErrors({
        name: fieldError(err, 'name'),
        email: fieldError(err, 'email'),
        password: fieldError(err, 'password'),
      });
    },
  });

  if (status.isLoading) {
    return (
      <Center h="100dvh">
        <Loader aria-label={t('common:states.loading')} />
      </Center>
    );
  }
  if (status.data && !status.data.needsSetup) return <Navigate to={session ? '/' : '/login'} />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next: SetupErrors = {};
    if (!name.trim()) next.name = t('auth:validation.nameRequired');
    if (!isEmail(email)) next.email = t('auth:validation.emailInvalid');
    const problem = passwordProblem(password, confirm);
    if (problem === 'mismatch') next.confirm = t('auth:validation.passwordMismatch');
    else if (problem) next.password = t(`auth:validation.password_${problem}`, { min: 10, max: 256 });
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setup.mutate({ name: name.trim(), email: email.trim(), password, locale });
  };

  const generalError =
    setup.error &&
    !(
      setup.error instanceof ApiError &&
      setup.error.code === 'VALIDATION_FAILED' &&
      (errors.email || errors.password || errors.name)
    )
      ? errorMessage(t, setup.error)
      : null;

  return (
    <AuthShell title={t('auth:setup.title')} subtitle={t('auth:setup.subtitle')}>
      <form onSubmit={onSubmit} noValidate data-testid="setup-form">
        <Stack gap="sm">
          {generalError && (
            <Alert color="red" role="alert" data-testid="setup-error">
              {generalError}
            </Alert>
          )}
          <TextInput
            label={t('auth:fields.name')}
            autoComplete="name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            data-testid="setup-name"
          />
          <TextInput
            label={t('auth:fields.email')}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={errors.email}
            data-testid="setup-email"
          />
          <PasswordInput
            label={t('auth:fields.password')}
            description={t('auth:fields.passwordHint', { min: 10 })}
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={errors.password}
            data-testid="setup-password"
          />
          <PasswordMeter password={password} />
          <PasswordInput
            label={t('auth:fields.confirmPassword')}
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={errors.confirm}
            data-testid="setup-confirm"
          />
          <Select
            label={t('auth:fields.language')}
            description={t('auth:setup.languageHint')}
            data={SUPPORTED_LOCALES.map((l) => ({ value: l, label: LANGUAGE_AUTONYMS[l] }))}
            value={locale}
            allowDeselect={false}
            onChange={(v) => {
              if (!v) return;
              setLocale(v as Locale);
              changeLocale(v as Locale);
            }}
            data-testid="setup-locale"
          />
          <Button type="submit" loading={setup.isPending} fullWidth mt="xs" data-testid="setup-submit">
            {t('auth:setup.submit')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('auth:setup.footnote')}
          </Text>
        </Stack>
      </form>
    </AuthShell>
  );
}
