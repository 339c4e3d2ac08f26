import type { Ticket } from '@seva/contracts';
import { ActionIcon, Alert, Anchor, Button, Group, Menu, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconArrowMerge, IconDots, IconPencil, IconUserCheck } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { ApiError } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { lastInboxSearch } from '../inbox/inbox-filters.ts';
import { useUpdateTicket } from './ticket-api.ts';
import { PriorityBadge, StatusBadge } from './ticket-badges.tsx';

/** Number, subject (click the pencil to edit), status and priority, and the ticket-wide actions. */
export function TicketHeader({ ticket, onMerge }: { ticket: Ticket; onMerge(): void }) {
  const { t, i18n } = useTranslation();
  const { can, session } = useSession();
  const update = useUpdateTicket(ticket);
  const [editing, setEditing] = useState(false);
  const [subject, setSubject] = useState(ticket.subject);
  const editable = can('tickets:update') && ticket.status !== 'closed';

  const saveSubject = () => {
    const next = subject.trim();
    if (!next || next === ticket.subject) {
      setEditing(false);
      return;
    }
    update.mutate(
      { subject: next },
      {
        onSuccess: () => setEditing(false),
        onError: (err) => notifications.show({ color: 'red', message: err instanceof ApiError ? (err.fieldError('subject') ?? err.message) : t('common:states.error') }),
      },
    );
  };
  const mergedInto = ticket.links.find((l) => l.kind === 'merged_into');

  return (
    <div data-testid="ticket-header">
      <Group gap="xs" mb={4}>
        <Anchor size="sm" renderRoot={(props) => <Link {...props} to="/" search={lastInboxSearch()} />} data-testid="back-to-inbox">
          <Group gap={4}>
            <IconArrowLeft size={14} />
            {t('ticket:header.back')}
          </Group>
        </Anchor>
      </Group>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Group gap="xs" align="center" wrap="nowrap" style={{ minWidth: 'min(100%, 240px)', flex: 1 }}>
          <Text c="dimmed" fw={600} data-testid="ticket-number">
            #{ticket.number}
          </Text>
          {editing ? (
            <form
              style={{ flex: 1 }}
              onSubmit={(e) => {
                e.preventDefault();
                saveSubject();
              }}
            >
              <TextInput
                value={subject}
                onChange={(e) => setSubject(e.currentTarget.value)}
                onBlur={saveSubject}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') {
                    e.stopPropagation();
                    setSubject(ticket.subject);
                    setEditing(false);
                  }
                }}
                aria-label={t('ticket:header.subject')}
                maxLength={500}
                autoFocus
                data-testid="subject-input"
              />
            </form>
          ) : (
            <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
              <Title order={2} size="h3" style={{ overflowWrap: 'anywhere' }} data-testid="ticket-subject">
                {ticket.subject}
              </Title>
              {editable && (
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={t('ticket:header.editSubject')}
                  onClick={() => {
                    setSubject(ticket.subject);
                    setEditing(true);
                  }}
                  data-testid="edit-subject"
                >
                  <IconPencil size={16} />
                </ActionIcon>
              )}
            </Group>
          )}
        </Group>
        <Group gap="xs" wrap="nowrap">
          {editable && can('tickets:assign') && ticket.assigneeId !== session?.user.id && (
            <Tooltip label={t('ticket:header.takeIt')}>
              <Button
                size="xs"
                variant="light"
                leftSection={<IconUserCheck size={14} />}
                loading={update.isPending}
                onClick={() => update.mutate({ assigneeId: session?.user.id ?? null })}
                data-testid="take-ticket"
              >
                {t('ticket:header.takeIt')}
              </Button>
            </Tooltip>
          )}
          {can('tickets:merge') && ticket.status !== 'closed' && (
            <Menu position="bottom-end">
              <Menu.Target>
                <ActionIcon variant="default" aria-label={t('ticket:header.more')} data-testid="ticket-actions">
                  <IconDots size={16} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconArrowMerge size={14} />} onClick={onMerge} data-testid="merge-ticket">
                  {t('ticket:merge.action')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          )}
        </Group>
      </Group>
      <Group gap="xs" mt={6}>
        <StatusBadge status={ticket.status} />
        <PriorityBadge priority={ticket.priority} />
        <Text size="xs" c="dimmed">
          {t('ticket:header.opened', { when: formatDateTime(ticket.createdAt, i18n.language) })}
          {' · '}
          {t(`ticket:channel.${ticket.channel}`, { defaultValue: ticket.channel })}
        </Text>
      </Group>
      {mergedInto && (
        <Alert color="gray" mt="xs" data-testid="merged-banner">
          {t('ticket:header.mergedInto')}{' '}
          <Anchor renderRoot={(props) => <Link {...props} to="/tickets/$ticketId" params={{ ticketId: String(mergedInto.number) }} />}>#{mergedInto.number}</Anchor>
        </Alert>
      )}
    </div>
  );
}
