import { Alert, Badge, Button, Card, Group, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../auth/auth-errors.ts';
import { channelKeys, channelsApi } from './channels-api.ts';

const DELIVERY_COLOR: Record<string, string> = { queued: 'gray', sent: 'blue', delivered: 'teal', read: 'green', failed: 'red' };

/** The delivery state a channel wrote on a message (`meta.channel.delivery`), or null for other messages. */
export function channelDelivery(meta: Record<string, unknown>): { status: string; error?: string } | null {
  const channel = meta.channel as { delivery?: { status?: unknown; error?: unknown } } | undefined;
  const status = channel?.delivery?.status;
  if (typeof status !== 'string') return null;
  return { status, ...(typeof channel?.delivery?.error === 'string' ? { error: channel.delivery.error } : {}) };
}

/** A small badge for a message's delivery over its channel (queued, sent, delivered, read, failed + the error). */
export function MessageDeliveryBadge({ meta }: { meta: Record<string, unknown> }) {
  const { t } = useTranslation();
  const d = channelDelivery(meta);
  if (!d) return null;
  const badge = (
    <Badge size="xs" variant="light" color={DELIVERY_COLOR[d.status] ?? 'gray'} data-testid="message-delivery" data-status={d.status}>
      {t(`channels:deliveries.statuses.${d.status}`, { defaultValue: d.status })}
    </Badge>
  );
  return d.error ? <Tooltip label={d.error}>{badge}</Tooltip> : badge;
}

/**
 * For the ticket view: which channel the conversation runs on, whether the provider still allows a free-form reply
 * (WhatsApp 24 hours, Messenger/Instagram 7 days with the human-agent tag), and moving the conversation to email.
 */
export function TicketChannelPanel({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const info = useQuery({ queryKey: channelKeys.ticket(ticketId), queryFn: () => channelsApi.ticketInfo(ticketId), refetchInterval: 60_000 });
  const [email, setEmail] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const move = useMutation({
    mutationFn: () => channelsApi.moveToEmail(ticketId, (email ?? typed).trim() || undefined),
    onSuccess: (data) => {
      qc.setQueryData(channelKeys.ticket(ticketId), data);
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      notifications.show({ color: 'teal', message: t('channels:ticket.moved') });
    },
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
  });
  const ch = info.data?.channel;
  if (!info.data || !ch) return null;
  const windowEnds = ch.replyWindowEndsAt ? new Date(ch.replyWindowEndsAt) : null;
  const windowOpen = windowEnds === null || windowEnds.getTime() > Date.now();
  const emails = info.data.emails;
  return (
    <Card withBorder padding="sm" data-testid="ticket-channel-panel">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={600} truncate>
            {ch.name}
          </Text>
          <Badge variant="light">{t(`channels:kinds.${ch.kind}`)}</Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {t('channels:ticket.contact')}: {ch.contact.displayName || ch.contact.externalId}
        </Text>
        {windowEnds && (
          <Alert p="xs" color={windowOpen ? 'blue' : ch.templateConfigured ? 'yellow' : 'red'}>
            <Text size="xs">
              {windowOpen
                ? t('channels:ticket.windowOpen', { time: windowEnds.toLocaleString(i18n.language) })
                : ch.templateConfigured
                  ? t('channels:ticket.windowClosedTemplate')
                  : t('channels:ticket.windowClosed')}
            </Text>
          </Alert>
        )}
        {emails.length > 0 ? (
          <Select size="xs" label={t('channels:ticket.moveTo')} data={emails} value={email ?? emails[0] ?? null} onChange={setEmail} allowDeselect={false} />
        ) : (
          <TextInput size="xs" label={t('channels:ticket.moveTo')} placeholder="name@example.com" value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />
        )}
        <Button size="xs" variant="light" onClick={() => move.mutate()} loading={move.isPending} data-testid="move-to-email">
          {t('channels:ticket.moveToEmail')}
        </Button>
      </Stack>
    </Card>
  );
}
