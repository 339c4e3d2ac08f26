import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
}

/** Asks before an action that is hard to undo (disable someone, revoke a token, delete a team). */
export function ConfirmModal({
  request,
  loading,
  onClose,
}: {
  request: ConfirmRequest | null;
  loading?: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={request !== null} onClose={onClose} title={request?.title} centered>
      <Stack>
        <Text size="sm">{request?.message}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-testid="confirm-cancel">
            {t('common:actions.cancel')}
          </Button>
          <Button
            color={request?.danger ? 'red' : undefined}
            loading={loading}
            onClick={() => request?.onConfirm()}
            data-testid="confirm-ok"
          >
            {request?.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
