import { ActionIcon, Badge, Button, Group, Paper, RingProgress, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBell, IconMessageCircle, IconVolume, IconVolumeOff } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { errorMessage } from '../auth/auth-errors.ts';
import { subscribeRealtime } from '../realtime/realtime-channel.ts';
import { askDesktopPermission, desktopPermission, isChatSoundMuted, playChatBeep, setChatSoundMuted, showDesktopNotification } from './chat-alerts.ts';
import { chatApi, chatKeys, invalidateChats, useChatList } from './chat-api.ts';
import { type ChatOffer, endsOffer, isOfferForMe, isVisitorMessage, offersReducer, pendingOffers, percentLeft, secondsLeft } from './chat-offer.ts';

const DEFAULT_TIMEOUT_SECONDS = 45;

/**
 * Chat offers, wherever the agent is in the app: a card with Accept / Decline and a countdown, a beep and a desktop
 * notification. Also keeps every chat list fresh on chat.* and callback.* events.
 */
export function ChatOffers() {
  const { t } = useTranslation();
  const { session } = useSession();
  const userId = session?.user.id;
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [offers, dispatch] = useReducer(offersReducer, []);
  const [now, setNow] = useState(() => Date.now());
  const tRef = useRef(t);
  tRef.current = t;
  const navRef = useRef(navigate);
  navRef.current = navigate;
  // offers this agent answered or let expire: the list of my chats may still show them until it refetches
  const dismissed = useRef(new Set<string>());
  const dismiss = (ticketId: string) => {
    dismissed.current.add(ticketId);
    dispatch({ type: 'gone', ticketId });
  };
  const mine = useChatList('mine', !!userId);
  const mineRef = useRef(mine.data);
  mineRef.current = mine.data;

  // after a reload: offers still standing for me
  useEffect(() => {
    if (!userId || !mine.data) return;
    for (const offer of pendingOffers(mine.data, userId, dismissed.current, Date.now(), DEFAULT_TIMEOUT_SECONDS)) dispatch({ type: 'offered', offer });
  }, [mine.data, userId]);

  useEffect(() => {
    if (!userId) return;
    return subscribeRealtime((m) => {
      const ticketId = typeof m.ticketId === 'string' ? m.ticketId : undefined;
      if (m.type.startsWith('chat.') && m.type !== 'chat.typing' && m.type !== 'chat.page' && m.type !== 'chat.presence') void invalidateChats(qc);
      if (m.type.startsWith('callback.') || m.type.startsWith('call.')) void qc.invalidateQueries({ queryKey: ['callbacks'] });
      if (!ticketId) return;
      if (isVisitorMessage(m)) {
        // a new message in one of my chats: a beep unless I am looking at that chat right now
        const chat = mineRef.current?.find((c) => c.ticketId === ticketId && c.status === 'active');
        const looking = document.hasFocus() && location.pathname === `/tickets/${chat?.ticketNumber}`;
        if (chat && !looking) playChatBeep();
        return;
      }
      if (endsOffer(m, userId)) dispatch({ type: 'gone', ticketId });
      if (!isOfferForMe(m, userId)) return;
      dismissed.current.delete(ticketId);
      const timeout = typeof m.payload?.timeoutSeconds === 'number' ? m.payload.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
      const offeredAt = Date.now();
      void qc
        .fetchQuery({ queryKey: chatKeys.detail(ticketId), queryFn: () => chatApi.detail(ticketId), staleTime: 0 })
        .then((chat) => {
          // a replayed event (after a reconnect) may be old news: only a chat still waiting for me
          if (chat.status !== 'waiting' || (chat.offeredToId !== null && chat.offeredToId !== userId)) return;
          dispatch({
            type: 'offered',
            offer: { ticketId, ticketNumber: chat.ticketNumber, visitorName: chat.visitor.name || chat.customerName, pageUrl: chat.visitor.currentPageUrl ?? chat.pageUrl, locale: chat.locale, offeredAt, timeoutSeconds: timeout },
          });
          playChatBeep();
          const tr = tRef.current;
          // clicking it opens the chat (its page has Accept too)
          showDesktopNotification(tr('chat:offer.title'), tr('chat:offer.body', { name: chat.visitor.name || chat.customerName }), `chat-${ticketId}`, () =>
            void navRef.current({ to: '/tickets/$ticketId', params: { ticketId: String(chat.ticketNumber) } }),
          );
        })
        .catch(() => undefined);
    });
  }, [userId, qc]);

  useEffect(() => {
    if (offers.length === 0) return;
    const timer = setInterval(() => {
      const n = Date.now();
      setNow(n);
      for (const o of offers) if (secondsLeft(o, n) === 0) dismissed.current.add(o.ticketId);
      dispatch({ type: 'expire', now: n });
    }, 500);
    return () => clearInterval(timer);
  }, [offers]);

  if (offers.length === 0) return null;
  return (
    <Stack gap="xs" style={{ position: 'fixed', right: 16, bottom: 16, zIndex: 300, width: 'min(360px, calc(100vw - 32px))' }} aria-live="polite">
      {offers.map((o) => (
        <OfferCard key={o.ticketId} offer={o} now={Math.max(now, Date.now())} onGone={() => dismiss(o.ticketId)} />
      ))}
    </Stack>
  );
}

function OfferCard({ offer, now: at, onGone }: { offer: ChatOffer; now: number; onGone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [busy, setBusy] = useState<'accept' | 'decline' | null>(null);
  const [muted, setMuted] = useState(isChatSoundMuted);
  const [permission, setPermission] = useState(desktopPermission);
  const left = secondsLeft(offer, at);
  const act = async (kind: 'accept' | 'decline') => {
    setBusy(kind);
    try {
      if (kind === 'accept') {
        const chat = await chatApi.accept(offer.ticketId);
        onGone();
        void invalidateChats(qc);
        void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(offer.ticketNumber ?? chat?.ticketNumber ?? offer.ticketId) } });
      } else {
        await chatApi.decline(offer.ticketId);
        onGone();
        void invalidateChats(qc);
      }
    } catch (err) {
      setBusy(null);
      onGone();
      notifications.show({ color: 'red', message: errorMessage(t, err) });
    }
  };
  return (
    <Paper withBorder shadow="lg" p="sm" radius="md" role="alertdialog" aria-label={t('chat:offer.title')} data-testid="chat-offer" data-ticket-id={offer.ticketId}>
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <RingProgress
          size={48}
          thickness={4}
          sections={[{ value: percentLeft(offer, at), color: left <= 10 ? 'red' : 'teal' }]}
          label={
            <Text ta="center" size="xs" fw={700} data-testid="chat-offer-countdown" aria-label={t('chat:offer.secondsLeft', { count: left })}>
              {left}
            </Text>
          }
        />
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6} wrap="nowrap">
            <IconMessageCircle size={16} />
            <Text fw={600} size="sm" truncate>
              {t('chat:offer.body', { name: offer.visitorName })}
            </Text>
          </Group>
          <Group gap={4}>
            {offer.ticketNumber !== null && <Badge size="xs" variant="light">#{offer.ticketNumber}</Badge>}
            {offer.locale && <Badge size="xs" variant="outline">{offer.locale}</Badge>}
          </Group>
          {offer.pageUrl && (
            <Text size="xs" c="dimmed" truncate title={offer.pageUrl}>
              {offer.pageUrl}
            </Text>
          )}
          <Group gap="xs" mt={4}>
            <Button size="xs" onClick={() => void act('accept')} loading={busy === 'accept'} disabled={busy !== null} data-testid="chat-offer-accept">
              {t('chat:offer.accept')}
            </Button>
            <Button size="xs" variant="default" onClick={() => void act('decline')} loading={busy === 'decline'} disabled={busy !== null} data-testid="chat-offer-decline">
              {t('chat:offer.decline')}
            </Button>
            <Tooltip label={muted ? t('chat:alerts.unmute') : t('chat:alerts.mute')}>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={muted ? t('chat:alerts.unmute') : t('chat:alerts.mute')}
                aria-pressed={muted}
                onClick={() => {
                  setChatSoundMuted(!muted);
                  setMuted(!muted);
                }}
                data-testid="chat-offer-mute"
              >
                {muted ? <IconVolumeOff size={16} /> : <IconVolume size={16} />}
              </ActionIcon>
            </Tooltip>
            {permission === 'default' && (
              <Tooltip label={t('chat:alerts.allowDesktop')}>
                <ActionIcon variant="subtle" color="gray" aria-label={t('chat:alerts.allowDesktop')} onClick={() => void askDesktopPermission().then(setPermission)}>
                  <IconBell size={16} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        </Stack>
      </Group>
    </Paper>
  );
}
