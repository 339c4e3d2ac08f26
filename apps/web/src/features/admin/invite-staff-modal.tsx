import { Alert, Button, CopyButton, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import type { InviteStaffResult, StaffRole } from '@seva/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import { isEmail } from '../auth/validate-password.ts';
import { adminApi } from './admin-api.ts';
import { ROLES } from './staff-labels.ts';
import { usePhone } from './use-phone.ts';

/** Invite a colleague: the answer holds a one-time link, shown here to copy and send (Seva does not email it yet). */
export function InviteStaffModal({
  opened,
  onClose,
  initialResult = null,
}: {
  opened: boolean;
  onClose: () => void;
  /** a fresh link made for someone already invited ("send a new link"): shown straight away */
  initialResult?: InviteStaffResult | null;
}) {
  const { t } = useTranslation();
  const phone = usePhone();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('agent');
  const [errors, setErrors] = useState<{ email?: string; name?: string }>({});
  const [result, setResult] = useState<InviteStaffResult | null>(initialResult);

  const invite = useMutation({
    mutationFn: adminApi.invite,
    onSuccess: (r) => {
      setResult(r);
      void qc.invalidateQueries({ queryKey: ['staff'] });
    },
    onError: (err) => setErrors({ email: fieldError(err, 'email'), name: fieldError(err, 'name') }),
  });

  const reset = () => {
    setEmail('');
    setName('');
    setRole('agent');
    setErrors({});
    setResult(null);
    invite.reset();
  };
  const close = () => {
    reset();
    onClose();
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (!isEmail(email)) next.email = t('auth:validation.emailInvalid');
    if (!name.trim()) next.name = t('auth:validation.nameRequired');
    setErrors(next);
    if (next.email || next.name) return;
    invite.mutate({ email: email.trim(), name: name.trim(), role });
  };

  const link = result ? new URL(result.inviteUrl, window.location.origin).toString() : '';

  return (
    <Modal opened={opened} fullScreen={phone} onClose={close} title={t('admin:staff.inviteTitle')} centered size="lg">
      {result ? (
        <Stack data-testid="invite-result">
          <Alert color="teal">{t('admin:staff.invited', { name: result.user.name, email: result.user.email })}</Alert>
          <Text size="sm">{t('admin:staff.inviteLinkHelp')}</Text>
          <TextInput
            readOnly
            value={link}
            label={t('admin:staff.inviteLink')}
            data-testid="invite-link"
            onFocus={(e) => e.currentTarget.select()}
          />
          <Group justify="space-between">
            <Button variant="default" onClick={reset}>
              {t('admin:staff.inviteAnother')}
            </Button>
            <Group gap="xs">
              <CopyButton value={link}>
                {({ copied, copy }) => (
                  <Button
                    color={copied ? 'teal' : undefined}
                    variant={copied ? 'filled' : 'light'}
                    onClick={copy}
                    data-testid="invite-copy"
                  >
                    {copied ? t('admin:common.copied') : t('admin:common.copy')}
                  </Button>
                )}
              </CopyButton>
              <Button onClick={close}>{t('admin:common.done')}</Button>
            </Group>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={onSubmit} noValidate data-testid="invite-staff-form">
          <Stack gap="sm">
            {invite.error && !(errors.email || errors.name) && (
              <Alert color="red" role="alert">
                {errorMessage(t, invite.error)}
              </Alert>
            )}
            <TextInput
              label={t('auth:fields.email')}
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={errors.email}
              data-testid="invite-email"
            />
            <TextInput
              label={t('auth:fields.name')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.name}
              data-testid="invite-staff-name"
            />
            <Select
              label={t('admin:staff.role')}
              description={t(`admin:roleHelp.${role}`)}
              data={ROLES.map((r) => ({ value: r, label: t(`admin:roles.${r}`) }))}
              value={role}
              allowDeselect={false}
              onChange={(v) => v && setRole(v as StaffRole)}
              data-testid="invite-role"
            />
            <Group justify="flex-end" mt="xs">
              <Button variant="default" onClick={close}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={invite.isPending} data-testid="invite-staff-submit">
                {t('admin:staff.sendInvite')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
