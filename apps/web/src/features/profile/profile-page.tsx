import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ChangePasswordBody, Locale, StaffUser, UpdateMeBody } from '@seva/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLocale, SUPPORTED_LOCALES } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { ROLE_COLOR } from '../admin/staff-labels.ts';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import { LANGUAGE_AUTONYMS } from '../auth/language-switcher.tsx';
import { PasswordMeter } from '../auth/password-meter.tsx';
import { passwordProblem } from '../auth/validate-password.ts';
import { ApiTokensPanel } from './api-tokens-panel.tsx';

/** Your profile: name and language, password, and your own API tokens. */
export function ProfilePage() {
  const { t } = useTranslation();
  const { session, can } = useSession();
  if (!session) return null;
  return (
    <Stack gap="lg" maw={960}>
      <Group gap="sm">
        <Title order={1} size="h2">
          {t('profile:title')}
        </Title>
        <Badge color={ROLE_COLOR[session.user.role]} variant="light">
          {t(`admin:roles.${session.user.role}`)}
        </Badge>
      </Group>
      <DetailsForm />
      <PasswordForm />
      {can('tokens:own') && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            {t('profile:tokens.title')}
          </Title>
          <ApiTokensPanel all={false} />
        </Paper>
      )}
    </Stack>
  );
}

function DetailsForm() {
  const { t, i18n } = useTranslation();
  const { session, setSession } = useSession();
  const user = session?.user;
  const [name, setName] = useState(user?.name ?? '');
  // The language on screen: the header's language menu may have changed it since the session was loaded.
  const [locale, setLocale] = useState<Locale>(
    ((SUPPORTED_LOCALES as readonly string[]).includes(i18n.language) ? i18n.language : 'en') as Locale,
  );
  const [nameError, setNameError] = useState<string | undefined>();

  const save = useMutation({
    mutationFn: (body: UpdateMeBody) => api.patch<StaffUser>('/me', body),
    onSuccess: (updated) => {
      changeLocale(locale);
      if (session) setSession({ ...session, user: { ...session.user, ...updated } });
      notifications.show({ color: 'teal', message: t('profile:details.saved') });
    },
    onError: (err) => setNameError(fieldError(err, 'name')),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError(t('auth:validation.nameRequired'));
      return;
    }
    setNameError(undefined);
    save.mutate({ name: name.trim(), locale });
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={onSubmit} noValidate data-testid="profile-form">
        <Stack gap="sm" maw={480}>
          <Title order={2} size="h4">
            {t('profile:details.title')}
          </Title>
          {save.error && !nameError && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <TextInput
            label={t('auth:fields.email')}
            value={user?.email ?? ''}
            readOnly
            disabled
            description={t('profile:details.emailHelp')}
          />
          <TextInput
            label={t('auth:fields.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError}
            data-testid="profile-name"
          />
          <Select
            label={t('auth:fields.language')}
            description={t('profile:details.languageHelp')}
            data={SUPPORTED_LOCALES.map((l) => {
              const translated = t(`common:languages.${l}`);
              return {
                value: l,
                label: translated === LANGUAGE_AUTONYMS[l] ? translated : `${LANGUAGE_AUTONYMS[l]} — ${translated}`,
              };
            })}
            value={locale}
            allowDeselect={false}
            onChange={(v) => v && setLocale(v as Locale)}
            data-testid="profile-locale"
          />
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} data-testid="profile-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function PasswordForm() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ current?: string; next?: string; confirm?: string }>({});

  const change = useMutation({
    mutationFn: (body: ChangePasswordBody) => api.post<void>('/me/password', body),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setConfirm('');
      notifications.show({
        color: 'teal',
        title: t('profile:password.changed'),
        message: t('profile:password.changedHelp'),
      });
    },
    onError: (err) => {
      const cur = fieldError(err, 'currentPassword');
      setErrors({
        current: cur ? t('profile:password.currentWrong') : undefined,
        next: fieldError(err, 'newPassword'),
      });
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (!current) errs.current = t('auth:validation.passwordRequired');
    const problem = passwordProblem(next, confirm);
    if (problem === 'mismatch') errs.confirm = t('auth:validation.passwordMismatch');
    else if (problem) errs.next = t(`auth:validation.password_${problem}`, { min: 10, max: 256 });
    else if (next === current) errs.next = t('profile:password.same');
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    change.mutate({ currentPassword: current, newPassword: next });
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={onSubmit} noValidate data-testid="password-form">
        <Stack gap="sm" maw={480}>
          <Title order={2} size="h4">
            {t('profile:password.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('profile:password.help')}
          </Text>
          {change.error && !(errors.current || errors.next) && (
            <Alert color="red">{errorMessage(t, change.error)}</Alert>
          )}
          <PasswordInput
            label={t('profile:password.current')}
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            error={errors.current}
            data-testid="password-current"
          />
          <PasswordInput
            label={t('auth:fields.newPassword')}
            description={t('auth:fields.passwordHint', { min: 10 })}
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            error={errors.next}
            data-testid="password-new"
          />
          <PasswordMeter password={next} />
          <PasswordInput
            label={t('auth:fields.confirmPassword')}
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={errors.confirm}
            data-testid="password-confirm"
          />
          <Group justify="flex-end">
            <Button type="submit" loading={change.isPending} data-testid="password-save">
              {t('profile:password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
