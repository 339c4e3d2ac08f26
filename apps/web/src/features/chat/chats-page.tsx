import {
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ChatSummary } from '@seva/contracts';
import { IconBell } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { errorMessage } from '../auth/auth-errors.ts';
import { routingApi, routingKeys } from '../routing/routing-api.ts';
import {
  askDesktopPermission,
  desktopPermission,
  isChatSoundMuted,
  playChatBeep,
  setChatSoundMuted,
} from './chat-alerts.ts';
import { chatApi, invalidateChats, useChatList } from './chat-api.ts';
import { formatWait } from './chat-offer.ts';

/** Seconds since `since`, ticking once a second while the page is open. */
function useTicker(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

function waited(c: ChatSummary, now: number): number {
  return Math.max(c.waitingSeconds, Math.floor((now - new Date(c.createdAt).getTime()) / 1000));
}

/** Live chats: the queue of visitors waiting (accept from here) and my active chats; alert settings. */
export function ChatsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const queue = useChatList('queue');
  const mine = useChatList('mine');
  const now = useTicker();
  const { session } = useSession();
  const staff = useQuery({ queryKey: routingKeys.staff, queryFn: routingApi.staff, staleTime: 30_000 });
  const myStatus = staff.data?.find((s) => s.userId === session?.user.id)?.status;
  const accept = useMutation({
    mutationFn: (c: ChatSummary) => chatApi.accept(c.ticketId).then(() => c),
    onSuccess: (c) => {
      void invalidateChats(qc);
      void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(c.ticketNumber) } });
    },
    onError: (err) => {
      void invalidateChats(qc);
      notifications.show({ color: 'red', message: errorMessage(t, err) });
    },
  });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div style={{ flex: '1 1 320px' }}>
          <Title order={1} size="h2">
            {t('chat:page.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('chat:page.help')}
          </Text>
        </div>
        <AlertSettings />
      </Group>
      {myStatus && myStatus !== 'online' && (
        <Alert color="orange" data-testid="chat-not-online">
          {t('chat:page.notOnline', { status: t(`routing:availability.${myStatus}`) })}
        </Alert>
      )}
      <Card withBorder padding="md">
        <Title order={2} size="h4" mb="sm">
          {t('chat:page.queue')} <Badge variant="light">{queue.data?.length ?? 0}</Badge>
        </Title>
        {queue.isLoading && (
          <Center p="md">
            <Loader size="sm" aria-label={t('common:states.loading')} />
          </Center>
        )}
        {queue.error && <Alert color="red">{errorMessage(t, queue.error)}</Alert>}
        {queue.data?.length === 0 && <Text c="dimmed">{t('chat:page.queueEmpty')}</Text>}
        {(queue.data?.length ?? 0) > 0 && (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs" data-testid="chat-queue">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('chat:page.visitor')}</Table.Th>
                  <Table.Th>{t('chat:page.waiting')}</Table.Th>
                  <Table.Th>{t('chat:page.language')}</Table.Th>
                  <Table.Th>{t('chat:page.pageCol')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {queue.data?.map((c) => (
                  <Table.Tr key={c.ticketId} data-testid="chat-queue-row" data-ticket-number={c.ticketNumber}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {c.customerName}
                      </Text>
                      <Text size="xs" c="dimmed">
                        #{c.ticketNumber} · {c.widgetName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace" c={waited(c, now) > 120 ? 'red' : undefined}>
                        {formatWait(waited(c, now))}
                      </Text>
                    </Table.Td>
                    <Table.Td>{c.locale ?? '—'}</Table.Td>
                    <Table.Td maw={260}>
                      <Text size="xs" truncate title={c.pageUrl ?? undefined}>
                        {c.pageUrl ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        onClick={() => accept.mutate(c)}
                        disabled={!!myStatus && myStatus !== 'online'}
                        loading={accept.isPending && accept.variables?.ticketId === c.ticketId}
                        data-testid="chat-queue-accept"
                      >
                        {t('chat:offer.accept')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <Card withBorder padding="md">
        <Title order={2} size="h4" mb="sm">
          {t('chat:page.mine')} <Badge variant="light">{mine.data?.length ?? 0}</Badge>
        </Title>
        {mine.error && <Alert color="red">{errorMessage(t, mine.error)}</Alert>}
        {mine.data?.length === 0 && <Text c="dimmed">{t('chat:page.mineEmpty')}</Text>}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {mine.data?.map((c) => (
            <Card
              key={c.ticketId}
              withBorder
              padding="sm"
              data-testid="my-chat"
              renderRoot={(props) => (
                <Link {...props} to="/tickets/$ticketId" params={{ ticketId: String(c.ticketNumber) }} />
              )}
            >
              <Group justify="space-between" wrap="nowrap">
                <Text fw={600} size="sm" truncate>
                  {c.customerName}
                </Text>
                {c.unread > 0 && (
                  <Badge color="red" size="sm" aria-label={t('chat:page.unread', { count: c.unread })}>
                    {c.unread}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed" truncate>
                #{c.ticketNumber} · {c.subject}
              </Text>
              <Badge mt={4} size="xs" variant="light" color={c.status === 'active' ? 'teal' : 'gray'}>
                {t(`chat:status.${c.status}`)}
              </Badge>
            </Card>
          ))}
        </SimpleGrid>
      </Card>
    </Stack>
  );
}

/** Sound on/off (kept in this browser) and the desktop notification permission, asked from this click. */
function AlertSettings() {
  const { t } = useTranslation();
  const [muted, setMuted] = useState(isChatSoundMuted);
  const [permission, setPermission] = useState(desktopPermission);
  return (
    <Stack gap={6} align="flex-end">
      <Switch
        label={t('chat:alerts.sound')}
        checked={!muted}
        onChange={(e) => {
          const on = e.currentTarget.checked;
          setChatSoundMuted(!on);
          setMuted(!on);
          if (on) playChatBeep();
        }}
        data-testid="chat-sound"
      />
      {permission === 'default' && (
        <Button
          size="xs"
          variant="light"
          leftSection={<IconBell size={14} />}
          onClick={() => void askDesktopPermission().then(setPermission)}
          data-testid="chat-desktop-allow"
        >
          {t('chat:alerts.allowDesktop')}
        </Button>
      )}
      {permission === 'granted' && (
        <Text size="xs" c="dimmed">
          {t('chat:alerts.desktopOn')}
        </Text>
      )}
      {permission === 'denied' && (
        <Text size="xs" c="dimmed">
          {t('chat:alerts.desktopBlocked')}
        </Text>
      )}
    </Stack>
  );
}
