import type { TicketStatus } from '@seva/contracts';
import { Button, Group, Menu, Paper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { STATUS_ORDER } from '../ticket/ticket-status.ts';

/** Actions on the selected tickets: each is its own PATCH, so the server applies every rule per ticket. */
export function BulkActions({ ids, onDone }: { ids: string[]; onDone(): void }) {
  const { t } = useTranslation();
  const { session, can } = useSession();
  const qc = useQueryClient();
  const apply = useMutation({
    mutationFn: async (patch: Record<string, unknown>) => {
      const results = await Promise.allSettled(ids.map((id) => api.patch(`/tickets/${id}`, patch)));
      return { ok: results.filter((r) => r.status === 'fulfilled').length, failed: results.filter((r) => r.status === 'rejected').length };
    },
    onSuccess: ({ ok, failed }) => {
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      void qc.invalidateQueries({ queryKey: ['ticket'] });
      notifications.show({
        color: failed ? 'orange' : 'teal',
        message: failed ? t('inbox:bulk.partial', { ok, failed }) : t('inbox:bulk.done', { count: ok }),
      });
      onDone();
    },
  });
  if (!can('tickets:update')) return null;
  return (
    <Paper withBorder p="xs" data-testid="bulk-actions">
      <Group gap="xs">
        <Text size="sm" fw={500}>
          {t('inbox:bulk.selected', { count: ids.length })}
        </Text>
        {can('tickets:assign') && (
          <Button size="xs" variant="light" loading={apply.isPending} onClick={() => apply.mutate({ assigneeId: session?.user.id })}>
            {t('inbox:bulk.assignToMe')}
          </Button>
        )}
        <Menu>
          <Menu.Target>
            <Button size="xs" variant="light" loading={apply.isPending}>
              {t('inbox:bulk.setStatus')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {STATUS_ORDER.filter((s) => s !== 'new' && s !== 'closed').map((s: TicketStatus) => (
              <Menu.Item key={s} onClick={() => apply.mutate({ status: s })}>
                {t(`ticket:status.${s}`)}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        <Button size="xs" variant="subtle" color="gray" onClick={onDone}>
          {t('inbox:bulk.clear')}
        </Button>
      </Group>
    </Paper>
  );
}
