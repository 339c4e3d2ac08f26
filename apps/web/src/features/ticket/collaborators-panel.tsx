import type { Ticket } from '@seva/contracts';
import { ActionIcon, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconX } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { useStaff } from './desk-config.ts';
import { invalidateTicket } from './ticket-api.ts';

/** People brought in on the ticket (they see it and may reply or add notes). */
export function CollaboratorsPanel({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const staff = useStaff();
  const qc = useQueryClient();
  const editable = can('tickets:update');
  const onError = (err: Error) => notifications.show({ color: 'red', message: err instanceof ApiError ? err.message : t('common:states.error') });
  const add = useMutation({
    mutationFn: (userId: string) => api.post(`/tickets/${ticket.id}/collaborators`, { userId }),
    onSuccess: () => invalidateTicket(qc, ticket),
    onError,
  });
  const remove = useMutation({
    mutationFn: (userId: string) => api.delete(`/tickets/${ticket.id}/collaborators/${userId}`),
    onSuccess: () => invalidateTicket(qc, ticket),
    onError,
  });
  const present = new Set(ticket.collaborators.map((c) => c.id));
  const candidates = (staff.data ?? []).filter((s) => s.status === 'active' && !present.has(s.id) && s.id !== ticket.assigneeId);

  return (
    <Paper withBorder p="sm" radius="md" data-testid="collaborators">
      <Title order={3} size="h5" mb="xs">
        {t('ticket:collaborators.title')}
      </Title>
      <Stack gap={4}>
        {ticket.collaborators.length === 0 && (
          <Text size="xs" c="dimmed">
            {t('ticket:collaborators.none')}
          </Text>
        )}
        {ticket.collaborators.map((c) => (
          <Group key={c.id} justify="space-between" wrap="nowrap" data-testid="collaborator">
            <Text size="sm">{c.name}</Text>
            {editable && (
              <ActionIcon
                size="sm"
                variant="subtle"
                color="gray"
                aria-label={t('ticket:collaborators.remove', { name: c.name })}
                loading={remove.isPending && remove.variables === c.id}
                onClick={() => remove.mutate(c.id)}
              >
                <IconX size={14} />
              </ActionIcon>
            )}
          </Group>
        ))}
        {editable && (
          <Select
            aria-label={t('ticket:collaborators.add')}
            placeholder={t('ticket:collaborators.add')}
            data={candidates.map((s) => ({ value: s.id, label: s.name }))}
            value={null}
            onChange={(v) => v && add.mutate(v)}
            searchable
            size="xs"
            disabled={add.isPending}
            data-testid="add-collaborator"
          />
        )}
      </Stack>
    </Paper>
  );
}
