import type { ChatDetail, Message } from '@seva/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { sendRealtime, subscribeRealtime } from '../realtime/realtime-channel.ts';
import { chatApi, chatKeys } from './chat-api.ts';
import { createTypingSender, readReceiptSeq } from './chat-typing.ts';

/**
 * The live side of one chat on the ticket page: the visitor's page and presence (patched into the cached chat), read
 * receipts, and "agent is typing" sent while the agent types a reply. (Who is typing: useChatTyping.)
 */
export function useChatLive(ticketId: string, chat: ChatDetail | undefined, messages: Message[] | undefined): void {
  const qc = useQueryClient();

  // signals about this chat
  useEffect(() => {
    const key = chatKeys.detail(ticketId);
    return subscribeRealtime((m) => {
      if (m.ticketId !== ticketId) return;
      if (m.type === 'chat.page') {
        qc.setQueryData<ChatDetail>(key, (d) =>
          d
            ? {
                ...d,
                visitor: {
                  ...d.visitor,
                  currentPageUrl: typeof m.url === 'string' ? m.url : null,
                  currentPageTitle: typeof m.title === 'string' ? m.title : null,
                },
              }
            : d,
        );
        // a fetch of the chat already under way (started by an earlier message) would bring back the old page: the
        // server has stored the new one before it said so, so fetch again, cancelling the stale one
        void qc.invalidateQueries({ queryKey: key, exact: true });
        return;
      }
      if (m.type === 'chat.presence')
        qc.setQueryData<ChatDetail>(key, (d) =>
          d ? { ...d, visitor: { ...d.visitor, isOnline: m.online === true } } : d,
        );
    });
  }, [ticketId, qc]);

  // "agent is typing": while the agent types a reply (not a note) in this page's composer
  const active = chat?.status === 'active';
  useEffect(() => {
    if (!active) return;
    const sender = createTypingSender({
      send: (isTyping) => void sendRealtime({ type: 'chat.typing', ticketId, isTyping }),
    });
    const inReply = (target: EventTarget | null) =>
      target instanceof Element &&
      !!target.closest('[data-testid="composer"][data-mode="reply"] [data-testid="composer-editor"]');
    const onInput = (e: Event) => {
      if (inReply(e.target)) sender.input();
    };
    const onBlur = (e: FocusEvent) => {
      if (inReply(e.target)) sender.stop();
    };
    const onSend = (e: MouseEvent) => {
      if (e.target instanceof Element && e.target.closest('[data-testid="send-reply"], [data-testid^="send-and-"]'))
        sender.stop();
    };
    document.addEventListener('input', onInput, true);
    document.addEventListener('focusout', onBlur, true);
    document.addEventListener('click', onSend, true);
    return () => {
      sender.stop();
      sender.dispose();
      document.removeEventListener('input', onInput, true);
      document.removeEventListener('focusout', onBlur, true);
      document.removeEventListener('click', onSend, true);
    };
  }, [active, ticketId]);

  // read receipts: mark the newest message read while the chat is on screen (and when it comes back on screen)
  const readSent = useRef(0);
  const agentReadSeq = chat?.agentReadSeq ?? 0;
  const accepted = !!chat?.acceptedById;
  useEffect(() => {
    if (!accepted || !messages) return;
    const mark = () => {
      if (document.visibilityState !== 'visible') return;
      const seq = readReceiptSeq(messages, Math.max(agentReadSeq, readSent.current));
      if (seq === null) return;
      readSent.current = seq;
      // over HTTP rather than the socket: a read receipt is stored, and the answer tells us it was
      void chatApi.read(ticketId, seq).catch(() => {
        readSent.current = 0;
      });
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [accepted, messages, agentReadSeq, ticketId]);
}
