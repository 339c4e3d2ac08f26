import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { StaffUser } from '@seva/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import { adminApi } from './admin-api.ts';

/** Correct how a colleague's name is written (the name customers see on replies). */
export function RenameStaffModal({ user, onClose }: { user: StaffUser; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [name, setName] = useState(user.name);
  const [error, setError] = useState<string | undefined>();
  const rename = useMutation({
    mutationFn: (next: string) => adminApi.updateStaff(user.id, { name: next }),
    onSuccess: (updated) => {
      void qc.invalidateQueries({ queryKey: ['staff'] });
      notifications.show({ color: 'teal', message: t('admin:staff.updated', { name: updated.name }) });
      onClose();
    },
    onError: (err) => setError(fieldError(err, 'name')),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setError(t('auth:validation.nameRequired'));
      return;
    }
    setError(undefined);
    rename.mutate(name.trim());
  };
  return (
    <Modal opened onClose={onClose} title={t('admin:staff.renameTitle', { email: user.email })} centered>
      <form onSubmit={onSubmit} noValidate data-testid="rename-staff-form">
        <Stack gap="sm">
          {rename.error && !error && <Alert color="red">{errorMessage(t, rename.error)}</Alert>}
          <TextInput
            label={t('admin:staff.name')}
            description={t('admin:staff.nameHelp')}
            required
            data-autofocus
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={error}
            data-testid="rename-staff-name"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={rename.isPending} data-testid="rename-staff-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
