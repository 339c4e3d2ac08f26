import type { Message } from '@seva/contracts';
import { ActionIcon, Anchor, Avatar, Badge, Box, Button, Group, Menu, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { IconArrowsSplit, IconCheck, IconDots, IconDownload, IconLock, IconPaperclip, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatRelative } from '../../i18n/index.ts';
import { MessageDeliveryBadge } from '../channels/ticket-channel-panel.tsx';
import { channelDelivery } from '../channels/ticket-channel-state.ts';
import { attachmentUrl } from './ticket-api.ts';
import { SafeHtmlFrame } from './safe-html-frame.tsx';

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((p) => [...p].find((ch) => /\p{L}|\p{N}/u.test(ch)) ?? '')
      .join('')
      .toUpperCase() || '?'
  );
}

interface MessageItemProps {
  message: Message;
  customerName: string;
  canApprove: boolean;
  canSplit: boolean;
  deciding: boolean;
  onDecide(decision: 'approve' | 'reject'): void;
  onSplit(): void;
}

/** One entry of the conversation: a public reply, an internal note (yellow) or a system line. */
export function MessageItem({ message: m, customerName, canApprove, canSplit, deciding, onDecide, onSplit }: MessageItemProps) {
  const { t, i18n } = useTranslation();
  if (m.kind === 'system') {
    return (
      <Group justify="center" data-testid="message" data-kind="system">
        <Text size="xs" c="dimmed" ta="center">
          {m.bodyText} · {formatRelative(m.createdAt, i18n.language)}
        </Text>
      </Group>
    );
  }
  const internal = m.kind === 'internal';
  const fromCustomer = m.authorType === 'customer';
  const author = m.author?.name ?? (fromCustomer ? customerName : t('ticket:message.system'));
  const pending = m.status === 'pending_approval';
  // a messaging channel's delivery (sent, delivered, read, failed + error) says more than the message status
  const viaChannel = channelDelivery(m.meta) !== null;

  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      data-testid="message"
      data-kind={m.kind}
      data-status={m.status}
      id={`message-${m.id}`}
      bg={internal ? 'var(--mantine-color-yellow-0)' : fromCustomer ? undefined : 'var(--mantine-color-gray-0)'}
      style={{
        borderColor: internal ? 'var(--mantine-color-yellow-5)' : pending ? 'var(--mantine-color-orange-5)' : undefined,
        borderStyle: pending ? 'dashed' : undefined,
      }}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="xs" wrap="nowrap">
          <Avatar size="sm" color={fromCustomer ? 'blue' : internal ? 'yellow' : 'teal'} radius="xl">
            {initials(author)}
          </Avatar>
          <Box>
            <Group gap={6}>
              <Text size="sm" fw={600}>
                {author}
              </Text>
              {internal && (
                <Badge size="xs" color="yellow" variant="filled" leftSection={<IconLock size={10} />} data-testid="internal-label">
                  {t('ticket:message.internalNote')}
                </Badge>
              )}
              {!internal && !fromCustomer && (
                <Badge size="xs" variant="light" color="teal">
                  {t('ticket:message.reply')}
                </Badge>
              )}
              {pending && (
                <Badge size="xs" color="orange" data-testid="awaiting-approval">
                  {t('ticket:message.awaitingApproval')}
                </Badge>
              )}
              {m.status === 'rejected' && (
                <Badge size="xs" color="red">
                  {t('ticket:message.rejected')}
                </Badge>
              )}
              {m.status === 'failed' && !viaChannel && (
                <Badge size="xs" color="red">
                  {t('ticket:message.failed')}
                </Badge>
              )}
              {m.status === 'queued' && !viaChannel && (
                <Badge size="xs" color="gray">
                  {t('ticket:message.queued')}
                </Badge>
              )}
              <MessageDeliveryBadge meta={m.meta} />
            </Group>
            <Tooltip label={formatDateTime(m.createdAt, i18n.language)}>
              <Text size="xs" c="dimmed" component="time" dateTime={m.createdAt}>
                {formatRelative(m.createdAt, i18n.language)} · {t(`ticket:channel.${m.channel}`, { defaultValue: m.channel })}
              </Text>
            </Tooltip>
          </Box>
        </Group>
        {canSplit && (
          <Menu position="bottom-end">
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={t('ticket:message.actions')} data-testid="message-actions">
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconArrowsSplit size={14} />} onClick={onSplit} data-testid="split-message">
                {t('ticket:split.action')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
      <Box mt="xs">
        {m.bodyHtml ? (
          <SafeHtmlFrame html={m.bodyHtml} text={m.bodyText} title={t('ticket:message.frameTitle', { author })} />
        ) : (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="message-text">
            {m.bodyText}
          </Text>
        )}
      </Box>
      {m.attachments.length > 0 && (
        <Stack gap={4} mt="xs" data-testid="attachments">
          {m.attachments.map((a) => (
            <Group key={a.id} gap={6} wrap="nowrap">
              <IconPaperclip size={14} />
              <Anchor href={attachmentUrl(a.id)} download={a.filename} size="sm" rel="noopener noreferrer" data-testid="attachment-link">
                {a.filename}
              </Anchor>
              <Text size="xs" c="dimmed">
                {formatBytes(a.sizeBytes)}
              </Text>
              <ActionIcon component="a" href={attachmentUrl(a.id)} download={a.filename} size="xs" variant="subtle" aria-label={t('ticket:message.download', { name: a.filename })}>
                <IconDownload size={12} />
              </ActionIcon>
            </Group>
          ))}
        </Stack>
      )}
      {pending && canApprove && (
        <Group mt="sm" gap="xs">
          <Button size="xs" color="teal" leftSection={<IconCheck size={14} />} loading={deciding} onClick={() => onDecide('approve')} data-testid="approve-message">
            {t('ticket:message.approve')}
          </Button>
          <Button size="xs" variant="light" color="red" leftSection={<IconX size={14} />} loading={deciding} onClick={() => onDecide('reject')} data-testid="reject-message">
            {t('ticket:message.reject')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}
