import { Button, Checkbox, Group, Modal, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxSearch } from '../../app/router.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import type { SavedView } from '../ticket/desk-config.ts';
import { toViewFilters } from './inbox-filters.ts';

/** "Save current filters as a view": name it, optionally share it with the team (views:share). */
export function SaveViewModal({ opened, onClose, search }: { opened: boolean; onClose(): void; search: InboxSearch }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [isShared, setShared] = useState(false);
  const save = useMutation({
    mutationFn: () => api.post<SavedView>('/views', { name: name.trim(), filters: toViewFilters(search), isShared }),
    onSuccess: (view) => {
      void qc.invalidateQueries({ queryKey: ['views'] });
      notifications.show({ color: 'teal', message: t('inbox:saveView.saved', { name: view.name }) });
      setName('');
      setShared(false);
      onClose();
      void navigate({ to: '/', search: { ...search, savedViewId: view.id } });
    },
  });
  const error = save.error instanceof ApiError ? (save.error.fieldError('name') ?? save.error.message) : save.error ? t('common:states.error') : undefined;

  return (
    <Modal opened={opened} onClose={onClose} title={t('inbox:saveView.title')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) save.mutate();
        }}
      >
        <Stack>
          <TextInput
            label={t('inbox:saveView.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            maxLength={100}
            error={error}
            data-autofocus
            data-testid="view-name"
          />
          {can('views:share') && (
            <Checkbox label={t('inbox:saveView.share')} checked={isShared} onChange={(e) => setShared(e.currentTarget.checked)} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim()} data-testid="save-view-submit">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
