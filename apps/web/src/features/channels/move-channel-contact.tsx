import { Alert, Button, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { CustomerChannelContactList } from '@seva/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../auth/auth-errors.ts';
import { CustomerPicker, type PickedCustomer, PickerActions } from '../customers/customer-picker.tsx';
import { channelsApi } from './channels-api.ts';

type Contact = CustomerChannelContactList['items'][number];

/**
 * Moves one messaging contact (not the whole customer) to another customer: its open conversations go with it, so
 * later messages from that number or account are the other customer's. Admins and supervisors only (the server
 * checks too).
 */
export function MoveChannelContact({ contact, fromName }: { contact: Contact; fromName: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [target, setTarget] = useState<PickedCustomer | null>(null);
  const move = useMutation({
    mutationFn: () => channelsApi.mergeContact(contact.id, target?.id ?? ''),
    onSuccess: (r) => {
      // both customers' contacts and tickets change
      void qc.invalidateQueries({ queryKey: ['customer'] });
      void qc.invalidateQueries({ queryKey: ['customer-tickets'] });
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      notifications.show({
        color: 'teal',
        message: t('channels:contacts.move.done', { name: target?.name ?? '', count: r.movedTicketIds.length }),
      });
      setOpened(false);
      setTarget(null);
    },
  });
  const label = contact.displayName ? `${contact.displayName} · ${contact.externalId}` : contact.externalId;
  return (
    <>
      <Button variant="subtle" size="compact-xs" onClick={() => setOpened(true)} data-testid="move-contact">
        {t('channels:contacts.move.action')}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('channels:contacts.move.title')}>
        <Stack>
          <Text size="sm">{t('channels:contacts.move.explain', { contact: label, channel: contact.channelName })}</Text>
          <CustomerPicker
            excludeId={contact.customerId}
            value={target}
            onChange={setTarget}
            findLabel={t('channels:contacts.move.find')}
            selectLabel={t('channels:contacts.move.target')}
            testId="move-contact"
          />
          {target && (
            <Alert color="orange">
              {t('channels:contacts.move.warning', { contact: label, from: fromName, to: target.name })}
            </Alert>
          )}
          <PickerActions
            error={move.isError ? errorMessage(t, move.error) : null}
            pending={move.isPending}
            disabled={!target}
            confirmLabel={t('channels:contacts.move.confirm')}
            onCancel={() => setOpened(false)}
            onConfirm={() => move.mutate()}
            testId="move-contact"
          />
        </Stack>
      </Modal>
    </>
  );
}
