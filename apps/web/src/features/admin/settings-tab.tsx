import { Alert, Button, Center, Group, Loader, Paper, Select, Stack, Switch, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { DeskSettings, Locale } from '@seva/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SUPPORTED_LOCALES } from '../../i18n/index.ts';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import { adminApi, adminKeys } from './admin-api.ts';

/** Desk settings: the desk's name, the default language, and whether collaborators' public replies need approval. */
export function SettingsTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: adminKeys.settings, queryFn: adminApi.getSettings });
  const [draft, setDraft] = useState<DeskSettings | null>(null);
  const [nameError, setNameError] = useState<string | undefined>();

  useEffect(() => {
    if (settings.data && !draft) setDraft(settings.data);
  }, [settings.data, draft]);

  const save = useMutation({
    mutationFn: adminApi.updateSettings,
    onSuccess: (s) => {
      qc.setQueryData(adminKeys.settings, s);
      setDraft(s);
      notifications.show({ color: 'teal', message: t('admin:settings.saved') });
    },
    onError: (err) => setNameError(fieldError(err, 'deskName')),
  });

  if (settings.isLoading || (!draft && !settings.error)) {
    return (
      <Center p="lg">
        <Loader aria-label={t('common:states.loading')} />
      </Center>
    );
  }
  if (settings.error || !draft) return <Alert color="red">{errorMessage(t, settings.error)}</Alert>;

  const dirty = JSON.stringify(draft) !== JSON.stringify(settings.data);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.deskName.trim()) {
      setNameError(t('admin:validation.required'));
      return;
    }
    setNameError(undefined);
    save.mutate({
      deskName: draft.deskName.trim(),
      defaultLocale: draft.defaultLocale,
      collaboratorRepliesNeedApproval: draft.collaboratorRepliesNeedApproval,
    });
  };

  return (
    <Paper withBorder p="md" maw={640}>
      <form onSubmit={onSubmit} noValidate data-testid="settings-form">
        <Stack gap="md">
          {save.error && !nameError && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <TextInput
            label={t('admin:settings.deskName')}
            description={t('admin:settings.deskNameHelp')}
            required
            value={draft.deskName}
            onChange={(e) => setDraft({ ...draft, deskName: e.currentTarget.value })}
            error={nameError}
            data-testid="settings-desk-name"
          />
          <Select
            label={t('admin:settings.defaultLocale')}
            description={t('admin:settings.defaultLocaleHelp')}
            data={SUPPORTED_LOCALES.map((l) => ({ value: l, label: t(`common:languages.${l}`) }))}
            value={draft.defaultLocale}
            allowDeselect={false}
            onChange={(v) => v && setDraft({ ...draft, defaultLocale: v as Locale })}
            data-testid="settings-default-locale"
          />
          <Switch
            label={t('admin:settings.approval')}
            description={t('admin:settings.approvalHelp')}
            checked={draft.collaboratorRepliesNeedApproval}
            onChange={(e) => setDraft({ ...draft, collaboratorRepliesNeedApproval: e.currentTarget.checked })}
            data-testid="settings-approval"
          />
          <Group justify="flex-end">
            <Button
              variant="default"
              disabled={save.isPending || !dirty}
              onClick={() => settings.data && setDraft(settings.data)}
            >
              {t('admin:common.reset')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!dirty} data-testid="settings-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
