import type { Ticket } from '@seva/contracts';
import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPhoneCall } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { useCallbacks, useCallLogs } from './callbacks-api.ts';
import { formatDuration } from './call-time.ts';
import { LogCallModal } from './log-call-modal.tsx';

const OUTCOME_COLOR: Record<string, string> = { answered: 'teal', no_answer: 'orange', busy: 'orange', voicemail: 'blue', wrong_number: 'red' };

/** On a phone ticket: "Log call" and the ticket's call log. */
export function TicketCallsPanel({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const calls = useCallLogs(ticket.id);
  // a call on a ticket with an open callback request answers that request (its status follows the outcome)
  const callback = useCallbacks('open').data?.find((c) => c.ticketId === ticket.id);
  const [open, setOpen] = useState(false);
  return (
    <Paper withBorder p="sm" radius="md" data-testid="ticket-calls">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {t('callbacks:calls.title')}
        </Title>
        <Button size="xs" variant="light" leftSection={<IconPhoneCall size={14} />} onClick={() => setOpen(true)} data-testid="log-call-open">
          {t('callbacks:log.button')}
        </Button>
      </Group>
      <Stack gap="xs">
        {callback && (
          <Text size="xs" data-testid="ticket-callback">
            {t('callbacks:calls.openRequest', { phone: callback.phone })}
          </Text>
        )}
        {calls.data?.length === 0 && (
          <Text size="xs" c="dimmed">
            {t('callbacks:calls.none')}
          </Text>
        )}
        {calls.data?.map((c) => (
          <Stack key={c.id} gap={2} data-testid="call-log-entry">
            <Group gap={6}>
              <Badge size="xs" color={OUTCOME_COLOR[c.outcome] ?? 'gray'}>
                {t(`callbacks:outcome.${c.outcome}`)}
              </Badge>
              <Text size="xs">{t(`callbacks:direction.${c.direction}`)}</Text>
              <Text size="xs" ff="monospace">
                {formatDuration(c.durationSeconds)}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              {formatDateTime(c.startedAt, i18n.language)}
              {c.staffName ? ` · ${c.staffName}` : ''}
              {c.phone ? ` · ${c.phone}` : ''}
            </Text>
            {c.notes && (
              <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
                {c.notes}
              </Text>
            )}
          </Stack>
        ))}
      </Stack>
      {open && (
        <LogCallModal
          target={{ ticketId: ticket.id, ticketNumber: ticket.number, ...(callback ? { callbackId: callback.id, phone: callback.phone } : {}) }}
          onClose={() => setOpen(false)}
        />
      )}
    </Paper>
  );
}
