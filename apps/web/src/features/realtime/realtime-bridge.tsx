import { notifications } from '@mantine/notifications';
import type { Message, Ticket, TicketEventList } from '@seva/contracts';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { SESSION_QUERY_KEY, useSession } from '../../lib/session.tsx';
import { ANNOUNCEMENT_ANCHOR_PREFIX, announcementReminder } from '../kb/announcement-reminder.ts';
import { ticketKeys, ticketsCreatedHere } from '../ticket/ticket-api.ts';
import { isChatSignal, parseRealtimeMessage, publishRealtime, setRealtimeSender } from './realtime-channel.ts';
import {
  invalidationTargets,
  isNewCustomerMessage,
  mayBeCustomerMessage,
  parseRealtimeEvent,
  type RealtimeEvent,
  realtimeSocketUrl,
  reconnectDelay,
} from './realtime-events.ts';

const RECENT_MS = 5 * 60_000;
const PING_MS = 25_000;
/** the server's close code for an ended session or revoked token: sign in again, do not reconnect */
const CREDENTIALS_REVOKED = 4401;

function invalidate(qc: QueryClient, event: RealtimeEvent): void {
  const id = event.ticketId;
  for (const target of invalidationTargets(event)) {
    switch (target) {
      case 'lists':
        void qc.invalidateQueries({ queryKey: ticketKeys.lists() });
        break;
      case 'customer-tickets':
        void qc.invalidateQueries({ queryKey: ['customer-tickets'] });
        break;
      case 'search':
        void qc.invalidateQueries({ queryKey: ['search'], refetchType: 'none' });
        break;
      case 'messages':
        if (id) void qc.invalidateQueries({ queryKey: ticketKeys.messages(id) });
        break;
      case 'events':
        if (id) void qc.invalidateQueries({ queryKey: ticketKeys.events(id) });
        break;
      case 'ticket':
        // the page may hold the ticket under its number: match on the cached ticket's id too
        void qc.invalidateQueries({
          predicate: (q) =>
            q.queryKey[0] === 'ticket' && (q.queryKey[1] === id || (q.state.data as Ticket | undefined)?.id === id),
        });
        break;
    }
  }
}

function ping(title: string, body: string, onOpen: () => void): void {
  notifications.show({
    title,
    message: body,
    color: 'teal',
    autoClose: 8000,
    onClick: onOpen,
    style: { cursor: 'pointer' },
    'data-testid': 'realtime-notification',
  } as Parameters<typeof notifications.show>[0]);
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.hidden) {
    try {
      const n = new Notification(title, { body, tag: title });
      n.onclick = () => {
        window.focus();
        onOpen();
      };
    } catch {
      /* some browsers only allow notifications from a service worker */
    }
  }
}

/**
 * Keeps the workspace live: one WebSocket to /api/v1/realtime with reconnect and backoff. Every event makes the
 * affected queries stale (TanStack Query refetches what is on screen); new tickets and new customer messages on
 * tickets assigned to me raise a notification (a browser one only if permission was already granted).
 */
export function RealtimeBridge() {
  const { session } = useSession();
  const userId = session?.user.id;
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { t } = useTranslation();
  const tRef = useRef(t);
  tRef.current = t;
  const navRef = useRef(navigate);
  navRef.current = navigate;

  useEffect(() => {
    if (!userId || typeof WebSocket === 'undefined') return;
    let socket: WebSocket | null = null;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pinger: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    let lastEventId: number | null = null;
    const seen = new Set<string>();

    const openTicket = (tk: Pick<Ticket, 'number'>) =>
      void navRef.current({ to: '/tickets/$ticketId', params: { ticketId: String(tk.number) } });

    const notify = async (event: RealtimeEvent) => {
      const id = event.ticketId;
      if (!id) return;
      const tr = tRef.current;
      if (event.type === 'ticket.created') {
        const tk = await qc.fetchQuery({
          queryKey: ticketKeys.ticket(id),
          queryFn: () => api.get<Ticket>(`/tickets/${id}`),
        });
        if (ticketsCreatedHere.has(id)) return;
        ping(tr('inbox:live.newTicket', { number: tk.number }), tk.subject, () => openTicket(tk));
        return;
      }
      if (
        event.type === 'sla.warning' ||
        event.type === 'sla.breached' ||
        event.type === 'automation.notified' ||
        event.type === 'ticket.followup_due' ||
        event.type === 'ticket.mentioned'
      ) {
        // the escalation names who is told (assignee, team lead, new owner): only they get the ping
        const evs = await qc.fetchQuery({
          queryKey: ticketKeys.events(id),
          queryFn: () => api.get<TicketEventList>(`/tickets/${id}/events`).then((r) => r.items),
          staleTime: 0,
        });
        const e = evs.find((x) => x.id === event.eventId);
        const told = (e?.payload as { notify?: unknown } | undefined)?.notify;
        if (!Array.isArray(told) || !told.includes(userId)) return;
        const tk = await qc.fetchQuery({
          queryKey: ticketKeys.ticket(id),
          queryFn: () => api.get<Ticket>(`/tickets/${id}`),
        });
        if (event.type === 'ticket.mentioned') {
          ping(tr('routing:live.mentioned', { number: tk.number }), tk.subject, () => openTicket(tk));
          return;
        }
        if (event.type === 'ticket.followup_due') {
          void qc.invalidateQueries({ queryKey: ['routing', 'followups'] });
          ping(tr('routing:live.followUp', { number: tk.number }), tk.subject, () => openTicket(tk));
          return;
        }
        if (event.type === 'automation.notified') {
          const message = (e?.payload as { message?: unknown } | undefined)?.message;
          ping(tr('sla:live.rule', { number: tk.number }), typeof message === 'string' ? message : tk.subject, () =>
            openTicket(tk),
          );
          return;
        }
        const key = event.type === 'sla.warning' ? 'sla:live.atRisk' : 'sla:live.breached';
        ping(tr(key, { number: tk.number }), tk.subject, () => openTicket(tk));
        return;
      }
      if (!mayBeCustomerMessage(event)) return;
      const tk = await qc.fetchQuery({
        queryKey: ticketKeys.ticket(id),
        queryFn: () => api.get<Ticket>(`/tickets/${id}`),
        staleTime: 0,
      });
      if (tk.assigneeId !== userId) return;
      if (!isNewCustomerMessage(event)) {
        const msgs = await qc.fetchQuery({
          queryKey: ticketKeys.messages(id),
          queryFn: () => api.get<{ items: Message[] }>(`/tickets/${id}/messages`).then((r) => r.items),
          staleTime: 0,
        });
        const last = msgs[msgs.length - 1];
        if (!last || last.authorType !== 'customer' || Date.now() - new Date(last.createdAt).getTime() > RECENT_MS)
          return;
      }
      ping(
        tr('inbox:live.newMessage', { number: tk.number, name: tk.customer.name || tk.customer.email }),
        tk.subject,
        () => openTicket(tk),
      );
    };

    const connect = () => {
      if (stopped) return;
      try {
        socket = new WebSocket(realtimeSocketUrl(location, lastEventId));
      } catch {
        schedule();
        return;
      }
      socket.onopen = () => {
        // anything may have changed while we were away
        if (attempt > 0) {
          void qc.invalidateQueries({ queryKey: ticketKeys.lists() });
          void qc.invalidateQueries({ queryKey: ['ticket'] });
          void qc.invalidateQueries({ queryKey: ['messages'] });
        }
        attempt = 0;
        const open = socket;
        setRealtimeSender((data) => {
          if (open?.readyState !== WebSocket.OPEN) return false;
          open.send(data);
          return true;
        });
        clearInterval(pinger);
        // browsers cannot send WebSocket pings; an application ping keeps proxies from closing an idle socket
        pinger = setInterval(() => socket?.readyState === WebSocket.OPEN && socket.send('{"type":"ping"}'), PING_MS);
      };
      socket.onmessage = (msg) => {
        const event = parseRealtimeEvent(msg.data);
        if (!event) return;
        if (isChatSignal(event.type)) {
          // typing, page and presence signals change nothing stored: hand them to the chat panel, refetch nothing
          const raw = parseRealtimeMessage(msg.data);
          if (raw) publishRealtime(raw);
          return;
        }
        if (event.type === 'realtime.ready') {
          if (event.eventId !== undefined) lastEventId = event.eventId;
          return;
        }
        if (event.type === 'realtime.resync') {
          // too much was missed to replay: everything on screen may be stale
          void qc.invalidateQueries({
            predicate: (q) =>
              ['tickets', 'ticket', 'messages', 'events', 'customer-tickets', 'customer'].includes(
                String(q.queryKey[0]),
              ),
          });
          return;
        }
        if (event.type.startsWith('realtime.')) return;
        if (event.eventId !== undefined) lastEventId = Math.max(lastEventId ?? 0, event.eventId);
        const key = event.eventId !== undefined ? `${event.type}:${event.eventId}` : undefined;
        if (key) {
          if (seen.has(key)) return;
          seen.add(key);
          if (seen.size > 500) seen.delete(seen.values().next().value as string);
        }
        invalidate(qc, event);
        // features listen for what concerns them (chat panels, offers, callback queue)
        const raw = parseRealtimeMessage(msg.data);
        if (raw) publishRealtime(raw);
        // an announcement reminder is only ever sent to the people it names (the server decides)
        const reminder = announcementReminder(raw);
        if (reminder) {
          void qc.invalidateQueries({ queryKey: ['kb', 'announcements'] });
          ping(
            tRef.current('kb:announcements.reminder'),
            reminder.title,
            () => void navRef.current({ to: '/kb', hash: `${ANNOUNCEMENT_ANCHOR_PREFIX}${reminder.announcementId}` }),
          );
          return;
        }
        void notify(event).catch(() => undefined);
      };
      socket.onclose = (e) => {
        socket = null;
        setRealtimeSender(null);
        clearInterval(pinger);
        if (e.code === CREDENTIALS_REVOKED) {
          void qc.invalidateQueries({ queryKey: SESSION_QUERY_KEY });
          return;
        }
        schedule();
      };
      socket.onerror = () => socket?.close();
    };

    const schedule = () => {
      if (stopped || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        connect();
      }, reconnectDelay(attempt++));
    };

    const onOnline = () => {
      if (!socket && !stopped) {
        clearTimeout(timer);
        timer = undefined;
        connect();
      }
    };

    connect();
    window.addEventListener('online', onOnline);
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(pinger);
      window.removeEventListener('online', onOnline);
      setRealtimeSender(null);
      if (socket) {
        socket.onclose = null;
        socket.close();
      }
    };
  }, [userId, qc]);

  return null;
}
