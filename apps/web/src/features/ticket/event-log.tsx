import { Alert, Center, Code, Group, Loader, Text, Timeline } from '@mantine/core';
import { IconActivity } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { summarisePayload } from './event-summary.ts';
import { useTicketEvents } from './ticket-api.ts';

/** Everything that happened to the ticket, oldest first, from GET /tickets/:id/events. */
export function EventLog({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const events = useTicketEvents(ticketId);
  if (events.isLoading) {
    return (
      <Center py="md">
        <Loader size="sm" aria-label={t('common:states.loading')} />
      </Center>
    );
  }
  if (events.isError) return <Alert color="red">{t('common:states.error')}</Alert>;
  if (!events.data?.length) return <Text c="dimmed">{t('common:states.empty')}</Text>;
  return (
    <Timeline bulletSize={20} lineWidth={2} data-testid="event-log">
      {events.data.map((e) => {
        const actor = e.actor?.name ?? (e.actor?.type ? t(`ticket:eventActor.${e.actor.type}`, { defaultValue: e.actor.type }) : t('ticket:eventActor.system'));
        return (
          <Timeline.Item key={e.id} bullet={<IconActivity size={12} />} title={t(`ticket:events.${e.type}`, { defaultValue: e.type })} data-testid="event">
            <Text size="xs" c="dimmed">
              {actor} · {formatDateTime(e.createdAt, i18n.language)}
            </Text>
            {summarisePayload(e.payload).map((line) => (
              <Group key={line.field} gap={6} wrap="nowrap">
                <Code>{line.field}</Code>
                <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                  {line.text}
                </Text>
              </Group>
            ))}
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
