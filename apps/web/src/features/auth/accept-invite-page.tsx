import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { authApi } from './auth-api.ts';
import { errorMessage, fieldError } from './auth-errors.ts';
import { AuthShell } from './auth-shell.tsx';
import { PasswordMeter } from './password-meter.tsx';
import { passwordProblem } from './validate-password.ts';

/** An invited colleague sets their password (and, if they like, their name) and is signed in. */
export function AcceptInvitePage() {
  const { t } = useTranslation();
  const { token } = useParams({ from: '/invite/$token' });
  const { setSession } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ name?: string; password?: string; confirm?: string }>({});

  const accept = useMutation({
    mutationFn: authApi.acceptInvitation,
    onSuccess: (s) => {
      setSession(s);
      void navigate({ to: '/' });
    },
    onError: (err) => setErrors({ name: fieldError(err, 'name'), password: fieldError(err, 'password') }),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    const problem = passwordProblem(password, confirm);
    if (problem === 'mismatch') next.confirm = t('auth:validation.passwordMismatch');
    else if (problem) next.password = t(`auth:validation.password_${problem}`, { min: 10, max: 256 });
    setErrors(next);
    if (next.password || next.confirm) return;
    accept.mutate({ token, password, ...(name.trim() ? { name: name.trim() } : {}) });
  };

  const invalid = accept.error instanceof ApiError && accept.error.status === 404;
  const showGeneral =
    accept.error &&
    !(
      accept.error instanceof ApiError &&
      accept.error.code === 'VALIDATION_FAILED' &&
      (errors.password || errors.name)
    );

  return (
    <AuthShell title={t('auth:invite.title')} subtitle={t('auth:invite.subtitle')}>
      <form onSubmit={onSubmit} noValidate data-testid="invite-form">
        <Stack gap="sm">
          {showGeneral && (
            <Alert color="red" role="alert" data-testid="invite-error">
              {invalid ? t('auth:invite.invalid') : errorMessage(t, accept.error)}
            </Alert>
          )}
          <TextInput
            label={t('auth:fields.name')}
            description={t('auth:invite.nameHint')}
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            data-testid="invite-name"
          />
          <PasswordInput
            label={t('auth:fields.newPassword')}
            description={t('auth:fields.passwordHint', { min: 10 })}
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={errors.password}
            data-testid="invite-password"
          />
          <PasswordMeter password={password} />
          <PasswordInput
            label={t('auth:fields.confirmPassword')}
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={errors.confirm}
            data-testid="invite-confirm"
          />
          <Button type="submit" loading={accept.isPending} fullWidth mt="xs" data-testid="invite-submit">
            {t('auth:invite.submit')}
          </Button>
          <Text size="sm" c="dimmed" ta="center">
            {t('auth:invite.haveAccount')}{' '}
            <Anchor component={Link} to="/login">
              {t('auth:invite.signIn')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthShell>
  );
}
