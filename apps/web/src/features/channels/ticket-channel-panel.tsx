import { Alert, Badge, Button, Card, Group, Select, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Ticket } from '@seva/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { errorMessage } from '../auth/auth-errors.ts';
import { channelKeys, channelsApi } from './channels-api.ts';
import { channelDelivery, isMessagingChannel, replyWindow } from './ticket-channel-state.ts';
import { WhatsappInteractive } from './whatsapp-interactive.tsx';

const DELIVERY_COLOR: Record<string, string> = {
  queued: 'gray',
  sent: 'blue',
  delivered: 'teal',
  read: 'green',
  failed: 'red',
};

/**
 * A message's delivery over its channel (queued, sent, delivered, read, failed with the provider's error). It reads
 * the message itself, so it follows the live `message.delivery_*` events that refresh the conversation.
 */
export function MessageDeliveryBadge({ meta }: { meta: Record<string, unknown> }) {
  const { t } = useTranslation();
  const d = channelDelivery(meta);
  if (!d) return null;
  const label = t(`channels:deliveries.statuses.${d.status}`);
  const badge = (
    <Badge
      size="xs"
      variant="light"
      color={DELIVERY_COLOR[d.status] ?? 'gray'}
      data-testid="message-delivery"
      data-status={d.status}
    >
      {label}
    </Badge>
  );
  if (!d.error) return badge;
  return (
    <>
      <Tooltip label={d.error}>{badge}</Tooltip>
      <Text size="xs" c="red" data-testid="message-delivery-error" style={{ overflowWrap: 'anywhere' }}>
        {d.error}
      </Text>
    </>
  );
}

/**
 * For the ticket view of a channel conversation: which channel it runs on, whether the provider still allows a
 * free-form reply (WhatsApp 24 hours, Messenger/Instagram 7 days) and moving the conversation to email.
 */
export function TicketChannelPanel({ ticket }: { ticket: Ticket }) {
  if (!isMessagingChannel(ticket.channel)) return null;
  return <ChannelPanel ticketId={ticket.id} updatedAt={ticket.updatedAt} />;
}

function ChannelPanel({ ticketId, updatedAt }: { ticketId: string; updatedAt: string }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const info = useQuery({
    queryKey: channelKeys.ticket(ticketId),
    queryFn: () => channelsApi.ticketInfo(ticketId),
    refetchInterval: 60_000,
  });
  // a new message from the customer reopens the window: the ticket changes with it (live), so ask again
  const seen = useRef(updatedAt);
  useEffect(() => {
    if (seen.current === updatedAt) return;
    seen.current = updatedAt;
    void qc.invalidateQueries({ queryKey: channelKeys.ticket(ticketId) });
  }, [qc, ticketId, updatedAt]);
  const [email, setEmail] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const move = useMutation({
    mutationFn: () => channelsApi.moveToEmail(ticketId, (email ?? typed).trim() || undefined),
    onSuccess: (data) => {
      qc.setQueryData(channelKeys.ticket(ticketId), data);
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      void qc.invalidateQueries({ queryKey: ['ticket'] });
      void qc.invalidateQueries({ queryKey: ['messages'] });
      notifications.show({ color: 'teal', message: t('channels:ticket.moved') });
    },
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
  });
  const ch = info.data?.channel;
  if (!info.data || !ch) return null;
  const reply = replyWindow(ch, new Date());
  const emails = info.data.emails;
  return (
    <Card withBorder padding="sm" data-testid="ticket-channel-panel" data-window={reply.state}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h5" style={{ overflowWrap: 'anywhere' }}>
            {ch.name}
          </Title>
          <Badge variant="light">{t(`channels:kinds.${ch.kind}`)}</Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {t('channels:ticket.contact')}: {ch.contact.displayName || ch.contact.externalId}
        </Text>
        {reply.state !== 'none' && (
          <Alert
            p="xs"
            color={reply.state === 'open' ? 'blue' : reply.state === 'template' ? 'yellow' : 'red'}
            data-testid="reply-window"
          >
            <Text size="xs">
              {reply.state === 'open'
                ? t('channels:ticket.windowOpen', { time: formatDateTime(reply.endsAt.toISOString(), i18n.language) })
                : reply.state === 'template'
                  ? t('channels:ticket.windowClosedTemplate')
                  : t('channels:ticket.windowClosed')}
            </Text>
          </Alert>
        )}
        {ch.kind === 'whatsapp' && reply.state === 'open' && <WhatsappInteractive ticketId={ticketId} />}
        {emails.length > 0 ? (
          <Select
            size="xs"
            label={t('channels:ticket.moveTo')}
            data={emails}
            value={email ?? emails[0] ?? null}
            onChange={setEmail}
            allowDeselect={false}
            data-testid="move-to-email-address"
          />
        ) : (
          <TextInput
            size="xs"
            type="email"
            label={t('channels:ticket.moveTo')}
            placeholder="name@example.com"
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            data-testid="move-to-email-address"
          />
        )}
        <Button
          size="xs"
          variant="light"
          onClick={() => move.mutate()}
          loading={move.isPending}
          disabled={emails.length === 0 && !typed.trim()}
          data-testid="move-to-email"
        >
          {t('channels:ticket.moveToEmail')}
        </Button>
      </Stack>
    </Card>
  );
}
