import { Badge, NavLink } from '@mantine/core';
import { IconMessages } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useChatList } from './chat-api.ts';

/** "Chats" in the navigation, with the number of visitors waiting plus my chats with unread messages. */
export function ChatNavLink({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const queue = useChatList('queue');
  const mine = useChatList('mine');
  // one chat counts once: waiting (maybe offered to me) or mine with unread messages
  const count = new Set([...(queue.data ?? []).map((c) => c.ticketId), ...(mine.data ?? []).filter((c) => c.unread > 0).map((c) => c.ticketId)]).size;
  return (
    <NavLink
      component={Link}
      to="/chats"
      label={t('chat:nav')}
      leftSection={<IconMessages size={16} />}
      rightSection={
        count > 0 ? (
          <Badge size="sm" color="red" circle data-testid="chat-nav-count" aria-label={t('chat:page.waitingCount', { count })}>
            {count}
          </Badge>
        ) : null
      }
      onClick={onNavigate}
      data-testid="nav-chats"
    />
  );
}
