import type { WidgetAttachment, WidgetConversation } from '@seva/contracts';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { WidgetApiError } from '../api.ts';
import { ChatConnection, type ChatView } from '../chat-connection.ts';
import { countUnread, lastSeenOwnSeq, makeClientId } from '../delivery.ts';
import { KbContext } from '../kb/kb-context.ts';
import { KbSuggestions } from '../kb/kb-suggestions.tsx';
import type { ParentBridge } from '../parent-bridge.ts';
import { ChatComposer } from './chat-composer.tsx';
import { EMAIL_RE } from './form-field.tsx';
import { MessageList } from './message-list.tsx';
import type { ScreenProps } from './screen-props.ts';

export interface ChatScreenProps extends ScreenProps {
  conversation: WidgetConversation | null;
  preChat: Record<string, string>;
  visible: boolean;
  bridge: ParentBridge;
  onConversation(c: WidgetConversation): void;
  onNewChat(): void;
  onLeaveMessage(): void;
}

/** A live chat: history and live messages over the socket, typing both ways, "Seen", status and the transcript. */
export function ChatScreen(props: ChatScreenProps) {
  const { api, t, conversation, language, page, bridge } = props;
  const [view, setView] = useState<ChatView | null>(null);
  const [startError, setStartError] = useState(false);
  const [draft, setDraft] = useState('');
  const kb = useContext(KbContext);
  const connection = useRef<ChatConnection | null>(null);
  const readSent = useRef(0);

  const open = (c: WidgetConversation, initial?: ChatView['delivery']['messages']) => {
    connection.current?.stop();
    const conn = new ChatConnection({
      widgetKey: props.widgetKey,
      conversationId: c.id,
      token: () => api.token,
      onChange: setView,
      onUnauthorised: () => setStartError(true),
      initial: { messages: initial ?? [], chatStatus: c.chatStatus, agentName: c.agentName },
    });
    connection.current = conn;
    readSent.current = 0;
    setView(conn.current);
    conn.start();
  };

  useEffect(() => {
    if (!conversation) {
      connection.current?.stop();
      connection.current = null;
      setView(null);
    } else if (connection.current === null) open(conversation);
  }, [conversation?.id]);
  useEffect(() => () => connection.current?.stop(), []);

  // Tell the agent which page the visitor is on now.
  useEffect(() => {
    connection.current?.sendPage(page);
  }, [page.url, view?.connected]);

  // Read receipts while the visitor can see the chat; an unread count on the launcher otherwise.
  useEffect(() => {
    if (!view) return;
    const newestStaff = [...view.delivery.messages].reverse().find((m) => m.authorType === 'staff')?.seq ?? 0;
    const canSee = props.visible && document.visibilityState === 'visible';
    if (canSee && newestStaff > readSent.current && view.connected) {
      readSent.current = newestStaff;
      connection.current?.markRead(newestStaff);
    }
    bridge.post({ type: 'seva:unread', count: canSee ? 0 : countUnread(view.delivery, readSent.current) });
    if (view.chatStatus === 'ended') bridge.post({ type: 'seva:ongoing', ongoing: false });
  }, [view, props.visible]);

  const send = async (body: string, attachments: WidgetAttachment[]): Promise<boolean> => {
    const ids = attachments.map((a) => a.id);
    if (connection.current) {
      connection.current.send(body, ids);
      return true;
    }
    // the first message starts the conversation (over HTTP), then the socket takes over
    setStartError(false);
    try {
      const res = await api.startConversation({
        clientId: makeClientId(),
        body: body || attachments.map((a) => a.filename).join(', '),
        locale: language,
        page,
        ...(ids.length > 0 ? { attachmentIds: ids } : {}),
        ...(Object.keys(props.preChat).length > 0 ? { preChat: props.preChat } : {}),
      });
      kb?.session.submitted();
      props.onConversation(res.conversation);
      open(res.conversation, [res.message]);
      return true;
    } catch {
      setStartError(true);
      return false;
    }
  };

  const status = view?.chatStatus ?? 'waiting';
  let statusText: string | null = null;
  if (status === 'ended') statusText = t('chat.ended');
  else if (status === 'active' && view?.agentName) statusText = t('chat.joined', { name: view.agentName });
  else if (conversation) statusText = t('chat.waiting');

  return (
    <div class="chat">
      {statusText ? (
        <p class="status" role="status" data-status={status}>
          {statusText}
        </p>
      ) : null}
      {view && !view.connected && conversation ? <p class="muted">{t('chat.reconnecting')}</p> : null}
      <MessageList
        api={api}
        t={t}
        language={language}
        messages={view?.delivery.messages ?? []}
        pending={view?.delivery.outbox ?? []}
        seenSeq={view ? lastSeenOwnSeq(view.delivery, view.agentReadSeq) : null}
      />
      {view?.isTyping ? (
        <p class="typing" aria-live="polite">
          {t('chat.typing', { name: view.typingName ?? t('chat.someone') })}
        </p>
      ) : null}
      {view?.notice === 'slowDown' ? <p class="error" role="alert">{t('chat.slowDown')}</p> : null}
      {startError || view?.notice === 'error' ? <p class="error" role="alert">{t('widget.error')}</p> : null}
      {status === 'ended' && conversation ? (
        <ChatEnded {...props} conversationId={conversation.id} />
      ) : (
        <>
          {!conversation && kb ? (
            <KbSuggestions api={api} t={t} language={language} widgetKey={props.widgetKey} text={draft} />
          ) : null}
          <ChatComposer api={api} t={t} disabled={false} onSend={send} onTyping={(on) => connection.current?.setTyping(on)} onDraft={setDraft} />
        </>
      )}
    </div>
  );
}

function ChatEnded(props: ChatScreenProps & { conversationId: string }) {
  const { api, t, visitor } = props;
  const [email, setEmail] = useState(visitor.email ?? '');
  const [state, setState] = useState<'idle' | 'sent' | 'failed' | 'invalid' | 'unavailable'>('idle');
  const sendTranscript = async (e: Event) => {
    e.preventDefault();
    if (!visitor.email && !EMAIL_RE.test(email.trim())) {
      setState('invalid');
      return;
    }
    try {
      await api.emailTranscript(props.conversationId, visitor.email ? undefined : email.trim());
      setState('sent');
    } catch (err) {
      setState(err instanceof WidgetApiError && err.code === 'UNAVAILABLE' ? 'unavailable' : 'failed');
    }
  };
  return (
    <div class="ended">
      {state === 'sent' ? (
        <p role="status">{t('chat.transcriptSent')}</p>
      ) : (
        <form onSubmit={sendTranscript} class="transcript" noValidate>
          {visitor.email ? null : (
            <label class="field">
              <span>{t('chat.transcriptEmail')}</span>
              <input type="email" value={email} onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />
            </label>
          )}
          {state === 'invalid' ? <p class="error" role="alert">{t('form.invalidEmail')}</p> : null}
          {state === 'failed' ? <p class="error" role="alert">{t('widget.error')}</p> : null}
          {state === 'unavailable' ? <p class="error" role="alert">{t('chat.transcriptUnavailable')}</p> : null}
          <button type="submit" class="secondary">
            {t('chat.transcript')}
          </button>
        </form>
      )}
      <button type="button" class="primary" onClick={props.onNewChat}>
        {t('chat.newChat')}
      </button>
    </div>
  );
}
