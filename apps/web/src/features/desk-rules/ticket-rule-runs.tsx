import type { AutomationRun, Ticket } from '@seva/contracts';
import { Badge, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';

const COLOR: Record<string, string> = { ran: 'teal', loop_stopped: 'orange', failed: 'red' };

/** The ticket's execution log: which triggers and automations ran on it, and what they did. */
export function TicketRuleRuns({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const runs = useQuery({
    // under ['ticket', id] so realtime refreshes it with the ticket
    queryKey: ['ticket', ticket.id, 'automation-runs'],
    queryFn: () => api.get<{ items: AutomationRun[] }>(`/tickets/${ticket.id}/automation-runs`).then((r) => r.items),
  });
  if (!runs.data?.length) return null;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="ticket-rule-runs">
      <Title order={3} size="h5" mb="xs">
        {t('desk-rules:ticket.title')}
      </Title>
      <Stack gap={4}>
        {runs.data.slice(0, 10).map((r) => (
          <Group key={r.id} justify="space-between" wrap="nowrap" gap="xs">
            <Tooltip label={`${formatDateTime(r.at, i18n.language)} · ${r.actions.join(', ')}${r.error ? ` · ${r.error}` : ''}`} multiline maw={360}>
              <Text size="sm" truncate>
                {r.ruleName}
              </Text>
            </Tooltip>
            <Badge size="xs" variant="light" color={COLOR[r.outcome] ?? 'gray'}>
              {t(`desk-rules:rules.outcome.${r.outcome}`)}
            </Badge>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
