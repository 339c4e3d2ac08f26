import type { Message, Ticket } from '@seva/contracts';
import { Group, Text } from '@mantine/core';
import { IconChecks } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useChatDetail } from './chat-api.ts';
import { isSeenByVisitor } from './chat-typing.ts';
import { useChatTyping } from './use-chat-typing.ts';

/** Under the last message of a chat: "Seen" when the visitor has read the agent's last message, and "… is typing". */
export function ChatTimelineStatus({ ticket, messages }: { ticket: Ticket; messages: Message[] | undefined }) {
  const { t } = useTranslation();
  const chat = useChatDetail(ticket.id).data;
  const typing = useChatTyping(ticket.id);
  const colleague = useChatTyping(ticket.id, 'staff');
  const seen = !!chat && chat.status !== 'waiting' && isSeenByVisitor(messages ?? [], chat.visitorReadSeq);
  return (
    <div aria-live="polite" data-testid="chat-timeline-status">
      {seen && (
        <Group gap={4} justify="flex-end" data-testid="chat-seen">
          <IconChecks size={14} color="var(--mantine-color-teal-6)" aria-hidden />
          <Text size="xs" c="teal">
            {t('chat:panel.seen')}
          </Text>
        </Group>
      )}
      {typing !== null && (
        <Text size="sm" c="teal" fs="italic" data-testid="visitor-typing">
          {t('chat:panel.typing', { name: typing || chat?.visitor.name || ticket.customer.name })}
        </Text>
      )}
      {colleague && (
        <Text size="xs" c="dimmed" fs="italic" data-testid="colleague-typing">
          {t('chat:panel.colleagueTyping', { name: colleague })}
        </Text>
      )}
    </div>
  );
}
