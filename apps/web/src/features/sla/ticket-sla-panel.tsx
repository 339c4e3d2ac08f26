import type { Ticket, TicketSla } from '@seva/contracts';
import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { SlaCountdown, useDuration } from './sla-countdown.tsx';

/** Under the ['ticket', id] key, so everything that refreshes the ticket (realtime included) refreshes this too. */
export const ticketSlaKey = (ticketId: string) => ['ticket', ticketId, 'sla'] as const;

/** The ticket's SLA policy and one live line per clock: first response, next response, periodic update, resolution. */
export function TicketSlaPanel({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const duration = useDuration();
  const sla = useQuery({
    queryKey: ticketSlaKey(ticket.id),
    queryFn: () => api.get<TicketSla>(`/tickets/${ticket.id}/sla`),
    refetchInterval: 60_000,
  });
  const data = sla.data;
  if (!data || (!data.policy && data.clocks.length === 0)) return null;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="ticket-sla">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {t('sla:panel.title')}
        </Title>
        {data.policy && (
          <Text size="xs" c="dimmed" data-testid="sla-policy">
            {data.policy.name}
          </Text>
        )}
      </Group>
      <Stack gap={6}>
        {data.clocks.map((c) => {
          const used = Math.floor(c.consumedSeconds / 60);
          return (
            <Group key={c.metric} justify="space-between" wrap="nowrap" data-testid={`sla-clock-${c.metric}`} data-state={c.state}>
              <Text size="sm">{t(`sla:metric.${c.metric}`)}</Text>
              {c.state === 'running' || (c.state === 'breached' && c.dueAt) ? (
                <SlaCountdown dueAt={c.dueAt} state={c.health} />
              ) : c.state === 'met' ? (
                <Badge color={c.health === 'breached' ? 'red' : 'teal'} variant="outline" size="sm">
                  {c.health === 'breached' ? t('sla:state.metLate', { time: duration({ days: 0, hours: 0, minutes: used }) }) : t('sla:state.met')}
                </Badge>
              ) : (
                <Badge color={c.health === 'breached' ? 'red' : 'gray'} variant="outline" size="sm">
                  {t('sla:state.paused')}
                </Badge>
              )}
            </Group>
          );
        })}
      </Stack>
    </Paper>
  );
}
