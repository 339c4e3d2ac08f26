import type { ChatDetail, Message, Ticket } from '@seva/contracts';
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowForwardUp, IconMail, IconPlayerStop, IconRosetteDiscountCheck } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { errorMessage } from '../auth/auth-errors.ts';
import { TransferModal } from '../routing/teamwork-panel.tsx';
import { invalidateTicket } from '../ticket/ticket-api.ts';
import { chatApi, invalidateChats, useChatDetail } from './chat-api.ts';
import { EndChatModal, TranscriptModal } from './chat-modals.tsx';
import { useChatLive } from './use-chat-live.ts';

const STATUS_COLOR = { waiting: 'orange', active: 'teal', ended: 'gray' } as const;

/** The live chat around a chat ticket: the visitor, their page, earlier conversations, and the chat's actions. */
export function ChatPanel({ ticket, messages }: { ticket: Ticket; messages: Message[] | undefined }) {
  const { t } = useTranslation();
  const detail = useChatDetail(ticket.id);
  useChatLive(ticket.id, detail.data, messages);
  if (detail.isLoading) return null;
  if (detail.error || !detail.data) {
    return (
      <Alert color="red" title={t('chat:panel.title')}>
        {errorMessage(t, detail.error)}
      </Alert>
    );
  }
  return <ChatPanelBody ticket={ticket} chat={detail.data} />;
}

function ChatPanelBody({ ticket, chat }: { ticket: Ticket; chat: ChatDetail }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState<'end' | 'transcript' | 'transfer' | null>(null);
  const v = chat.visitor;
  const refresh = () => {
    void invalidateChats(qc);
    void invalidateTicket(qc, ticket);
  };
  const accept = useMutation({
    mutationFn: () => chatApi.accept(ticket.id),
    onSuccess: refresh,
    onError: (err) => {
      refresh();
      notifications.show({ color: 'red', message: errorMessage(t, err) });
    },
  });
  const preChat = Object.entries(chat.preChat);

  return (
    <Paper withBorder p="sm" radius="md" data-testid="chat-panel" data-chat-status={chat.status}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h5">
            {t('chat:panel.title')}
          </Title>
          <Badge color={STATUS_COLOR[chat.status]} data-testid="chat-status">
            {t(`chat:status.${chat.status}`)}
          </Badge>
        </Group>
        {chat.acceptedByName && (
          <Text size="xs" c="dimmed">
            {t('chat:panel.acceptedBy', { name: chat.acceptedByName })}
          </Text>
        )}
        <Group gap="xs">
          {chat.status === 'waiting' && (
            <Button size="xs" onClick={() => accept.mutate()} loading={accept.isPending} data-testid="chat-accept">
              {t('chat:offer.accept')}
            </Button>
          )}
          {chat.status !== 'ended' && (
            <Button size="xs" variant="light" color="red" leftSection={<IconPlayerStop size={14} />} onClick={() => setOpen('end')} data-testid="chat-end-open">
              {t('chat:end.button')}
            </Button>
          )}
          <Button size="xs" variant="light" leftSection={<IconMail size={14} />} onClick={() => setOpen('transcript')} data-testid="chat-transcript-open">
            {t('chat:transcript.button')}
          </Button>
          {ticket.status !== 'closed' && (
            <Button size="xs" variant="subtle" leftSection={<IconArrowForwardUp size={14} />} onClick={() => setOpen('transfer')} data-testid="chat-transfer-open">
              {t('chat:panel.transfer')}
            </Button>
          )}
        </Group>

        <Stack gap={2} data-testid="chat-visitor">
          <Group gap={6} wrap="nowrap">
            <Text fw={600} size="sm" truncate>
              {v.name || chat.customerName}
            </Text>
            {v.isVerified && (
              <Tooltip label={t('chat:panel.verifiedHelp')}>
                <Badge size="xs" color="blue" leftSection={<IconRosetteDiscountCheck size={12} />} data-testid="visitor-verified">
                  {t('chat:panel.verified')}
                </Badge>
              </Tooltip>
            )}
            <Badge size="xs" variant="dot" color={v.isOnline ? 'teal' : 'gray'} data-testid="visitor-presence" data-online={v.isOnline}>
              {v.isOnline ? t('chat:panel.online') : t('chat:panel.offline')}
            </Badge>
          </Group>
          {v.email && <Text size="xs">{v.email}</Text>}
          <Field label={t('chat:panel.page')} testId="visitor-page">
            {v.currentPageUrl ? (
              <Text size="xs" style={{ wordBreak: 'break-all' }} title={v.currentPageTitle ?? undefined}>
                {v.currentPageTitle ? `${v.currentPageTitle} — ` : ''}
                {v.currentPageUrl}
              </Text>
            ) : null}
          </Field>
          <Field label={t('chat:panel.referrer')}>{chat.referrer ?? v.referrer}</Field>
          <Field label={t('chat:panel.locale')}>{v.locale ?? chat.locale}</Field>
          <Field label={t('chat:panel.userAgent')}>{v.userAgent}</Field>
          <Field label={t('chat:panel.lastSeen')}>{formatDateTime(v.lastSeenAt, i18n.language)}</Field>
        </Stack>

        {preChat.length > 0 && (
          <Stack gap={2} data-testid="chat-prechat">
            <Text size="xs" fw={700} c="dimmed">
              {t('chat:panel.preChat')}
            </Text>
            {preChat.map(([k, val]) => (
              <Field key={k} label={k}>
                {val}
              </Field>
            ))}
          </Stack>
        )}

        <Stack gap={2} data-testid="chat-earlier">
          <Text size="xs" fw={700} c="dimmed">
            {t('chat:panel.earlier')}
          </Text>
          {chat.earlier.length === 0 && (
            <Text size="xs" c="dimmed">
              {t('chat:panel.noEarlier')}
            </Text>
          )}
          {chat.earlier.slice(0, 8).map((e) => (
            <Anchor key={e.ticketId} size="xs" renderRoot={(props) => <Link {...props} to="/tickets/$ticketId" params={{ ticketId: String(e.number) }} />}>
              #{e.number} · {e.subject} ({t(`ticket:channel.${e.channel}`, { defaultValue: e.channel })})
            </Anchor>
          ))}
        </Stack>
      </Stack>
      {open === 'end' && <EndChatModal ticket={ticket} chat={chat} onClose={() => setOpen(null)} />}
      {open === 'transcript' && <TranscriptModal ticket={ticket} chat={chat} onClose={() => setOpen(null)} />}
      {open === 'transfer' && <TransferModal ticket={ticket} onClose={() => setOpen(null)} />}
    </Paper>
  );
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" data-testid={testId}>
      <Text size="xs" c="dimmed" miw={80}>
        {label}
      </Text>
      {typeof children === 'string' ? (
        <Text size="xs" style={{ wordBreak: 'break-word' }}>
          {children}
        </Text>
      ) : (
        children
      )}
    </Group>
  );
}
