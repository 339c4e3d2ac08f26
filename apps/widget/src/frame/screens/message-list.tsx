import type { WidgetMessage } from '@seva/contracts';
import { useEffect, useRef } from 'preact/hooks';
import type { WidgetApi } from '../api.ts';
import type { OutgoingMessage } from '../delivery.ts';
import type { Translate } from '../i18n/index.ts';
import { AttachmentView } from './attachment-view.tsx';

export interface MessageListProps {
  api: WidgetApi;
  t: Translate;
  messages: WidgetMessage[];
  pending: OutgoingMessage[];
  seenSeq: number | null;
  language: string;
}

/** Messages in seq order, then the visitor's unsent ones; every body rendered as text. */
export function MessageList({ api, t, messages, pending, seenSeq, language }: MessageListProps) {
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [messages.length, pending.length]);
  const time = (iso: string) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
  };
  return (
    <div class="messages" role="log" aria-live="polite" aria-relevant="additions">
      {messages.map((m) => {
        const own = m.authorType === 'customer';
        return (
          <div key={m.seq} class={`bubble ${own ? 'own' : 'theirs'}`} data-seq={m.seq}>
            <div class="author">
              {own ? t('chat.you') : (m.authorName ?? t('chat.someone'))} · <time dateTime={m.createdAt}>{time(m.createdAt)}</time>
            </div>
            {m.bodyText ? <div class="text">{m.bodyText}</div> : null}
            {m.attachments.map((a) => (
              <AttachmentView key={a.id} api={api} attachment={a} t={t} />
            ))}
            {own && seenSeq === m.seq ? <div class="receipt">{t('chat.seen')}</div> : null}
          </div>
        );
      })}
      {pending.map((m) => (
        <div key={m.clientId} class="bubble own pending">
          <div class="text">{m.body}</div>
          <div class="receipt">{t('chat.sending')}</div>
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}
