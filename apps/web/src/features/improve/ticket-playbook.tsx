import { Button, Card, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { useSendKudos, useTicketPlaybook } from './improve-api.ts';

/** On the ticket page: the published playbook for its category, and (for managers) kudos to whoever handles it. */
export function TicketPlaybook({ ticketRef, assignee }: { ticketRef: string; assignee: { id: string; name: string } | null }) {
  const { t } = useTranslation();
  const { can, session } = useSession();
  const playbook = useTicketPlaybook(ticketRef);
  const kudos = useSendKudos();
  const [writing, setWriting] = useState(false);
  const [message, setMessage] = useState('');
  const p = playbook.data?.playbook ?? null;
  const canThank = can('improve:manage') && assignee !== null && assignee.id !== session?.user.id;
  if (!p && !canThank) return null;
  return (
    <Stack gap="xs">
      {p && (
        <Card withBorder padding="sm" data-testid="ticket-playbook">
          <Text fw={600} size="sm">
            {t('improve:playbooks.onTicket')}: {p.title}
          </Text>
          <ol style={{ margin: '4px 0', paddingLeft: 20 }}>
            {p.steps.map((s) => (
              <li key={s}>
                <Text size="sm">{s}</Text>
              </li>
            ))}
          </ol>
        </Card>
      )}
      {canThank && assignee && (
        <Group>
          <Button size="xs" variant="light" color="pink" onClick={() => setWriting(true)} data-testid="kudos-open">
            {t('improve:kudos.send', { name: assignee.name })}
          </Button>
        </Group>
      )}
      {writing && assignee && (
        <Modal opened onClose={() => setWriting(false)} title={t('improve:kudos.title', { name: assignee.name })}>
          <Stack>
            <Textarea value={message} onChange={(e) => setMessage(e.currentTarget.value)} autosize minRows={2} data-testid="kudos-message" />
            <Button
              disabled={message.trim() === ''}
              loading={kudos.isPending}
              data-testid="kudos-send"
              onClick={() =>
                kudos.mutate(
                  { toStaffId: assignee.id, ticketId: ticketRef, message },
                  {
                    onSuccess: () => {
                      notifications.show({ color: 'pink', message: t('improve:kudos.sent') });
                      setWriting(false);
                      setMessage('');
                    },
                  },
                )
              }
            >
              {t('improve:kudos.submit')}
            </Button>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}
