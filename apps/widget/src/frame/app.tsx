import type {
  WidgetConversation,
  WidgetIdentity,
  WidgetPage,
  WidgetPublicConfig,
  WidgetVisitor,
} from '@seva/contracts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createWidgetApi } from './api.ts';
import { createTranslator, isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language, pickLanguage } from './i18n/index.ts';
import { createHelpSession } from './kb/help-session.ts';
import { type ArticleTarget, KbContext, type KbHooks } from './kb/kb-context.ts';
import { useLazyComponent } from './lazy.tsx';
import type { ParentBridge } from './parent-bridge.ts';
import { HomeScreen } from './screens/home-screen.tsx';
import type { ScreenProps } from './screens/screen-props.ts';
import { startSession } from './session.ts';

export interface AppProps {
  widgetKey: string;
  bridge: ParentBridge;
  initialPage: WidgetPage;
  identity: WidgetIdentity | null;
  siteLanguage: string | null;
  initiallyOpen: boolean;
  hostToken: string | null;
}

type Screen = 'home' | 'prechat' | 'chat' | 'message' | 'callback';

const loadChat = () => import('./screens/chat-screen.tsx').then((m) => m.ChatScreen);
const loadPreChat = () => import('./screens/pre-chat-screen.tsx').then((m) => m.PreChatScreen);
const loadMessage = () => import('./screens/leave-message-screen.tsx').then((m) => m.LeaveMessageScreen);
const loadCallback = () => import('./screens/callback-screen.tsx').then((m) => m.CallbackScreen);
const loadArticle = () => import('./kb/article-view.tsx').then((m) => m.ArticleView);
const loadSurvey = () => import('./survey/pending-survey.tsx').then((m) => m.PendingSurveyCard);

/** The widget: header with language switcher and close, then one screen at a time. */
export function App(props: AppProps) {
  const { bridge, widgetKey } = props;
  const api = useMemo(createWidgetApi, []);
  const [config, setConfig] = useState<WidgetPublicConfig | null>(null);
  const [visitor, setVisitor] = useState<WidgetVisitor | null>(null);
  const [conversation, setConversation] = useState<WidgetConversation | null>(null);
  const [failed, setFailed] = useState(false);
  const [language, setLanguage] = useState<Language>(() =>
    pickLanguage([props.siteLanguage, ...navigator.languages], 'en'),
  );
  const [screen, setScreen] = useState<Screen>('home');
  const [page, setPage] = useState<WidgetPage>(props.initialPage);
  const [open, setOpen] = useState(props.initiallyOpen);
  const [preChat, setPreChat] = useState<Record<string, string>>({});
  const t = useMemo(() => createTranslator(language), [language]);
  // the knowledge base: an article opened over the current screen, and the help session for deflection reports
  const [article, setArticle] = useState<ArticleTarget | null>(null);
  const languageRef = useRef(language);
  languageRef.current = language;
  const helpSession = useMemo(
    () => createHelpSession({ send: (body) => api.reportDeflection(body), language: () => languageRef.current }),
    [api],
  );
  const kb = useMemo<KbHooks>(
    () => ({
      session: helpSession,
      openArticle: (target) => {
        helpSession.opened(target.id);
        setArticle(target);
      },
    }),
    [helpSession],
  );

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(
    () =>
      bridge.listen((msg) => {
        if (msg.type === 'seva:page') setPage(msg.page);
        else if (msg.type === 'seva:visibility') setOpen(msg.open);
      }),
    [bridge],
  );

  useEffect(() => {
    let alive = true;
    (async () => {
      const cfg = await api.getConfig(widgetKey);
      if (!alive) return;
      setConfig(cfg);
      if (!props.siteLanguage && !navigator.languages.some((l) => isLanguage(l.slice(0, 2))))
        setLanguage(cfg.defaultLanguage);
      document.documentElement.style.setProperty(
        '--seva-primary',
        /^#[0-9a-fA-F]{3,8}$/.test(cfg.primaryColor) ? cfg.primaryColor : '#1c7ed6',
      );
      const session = await startSession(api, {
        widgetKey,
        locale: language,
        page: props.initialPage,
        identity: props.identity,
        hostToken: props.hostToken,
      });
      if (!alive) return;
      if (!session.storedInFrame) bridge.post({ type: 'seva:visitor', token: session.visitor.visitorToken });
      setVisitor(session.visitor);
      const conversations = await api.listConversations();
      if (!alive) return;
      const ongoing = conversations.find((c) => c.chatStatus !== 'ended') ?? null;
      bridge.post({ type: 'seva:ongoing', ongoing: !!ongoing });
      if (ongoing) {
        setConversation(ongoing);
        setScreen('chat');
      }
    })().catch(() => {
      if (alive) setFailed(true);
    });
    return () => {
      alive = false;
    };
    // once per frame: the visitor is resumed from storage on every page
  }, []);

  // Opening the panel puts the keyboard in it: on the first control of the current screen.
  useEffect(() => {
    if (!open || !bridge.embedded) return;
    const first = document.querySelector<HTMLElement>('.body button, .body textarea, .body input, .body select');
    (first ?? document.querySelector<HTMLElement>('.header button, .header select'))?.focus();
  }, [open, screen, !!config, !!visitor]);

  const close = useCallback(() => bridge.post({ type: 'seva:close' }), [bridge]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) close();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [close]);

  const ChatScreen = useLazyComponent(loadChat, screen === 'chat');
  const PreChatScreen = useLazyComponent(loadPreChat, screen === 'prechat');
  const LeaveMessageScreen = useLazyComponent(loadMessage, screen === 'message');
  const CallbackScreen = useLazyComponent(loadCallback, screen === 'callback');
  const ArticleView = useLazyComponent(loadArticle, article !== null);
  // a survey waiting for this visitor's customer record, on the home screen (its own chunk)
  const PendingSurveyCard = useLazyComponent(loadSurvey, !!visitor && screen === 'home');

  const home = () => {
    if (article) setArticle(null);
    else setScreen('home');
  };
  const startChat = () => setScreen(config && config.preChatFields.length > 0 && !conversation ? 'prechat' : 'chat');
  const hasOngoing = !!conversation && conversation.chatStatus !== 'ended';
  const chatOffered = !!config && (hasOngoing || (config.options.chat && config.isOpen && config.agentsAvailable));
  const messageOffered = !!config && (!chatOffered || config.options.message);

  let body = (
    <p class="muted" role="status">
      {t('widget.loading')}
    </p>
  );
  if (failed) body = <p role="alert">{t('widget.unavailable')}</p>;
  else if (config && visitor) {
    const shared: ScreenProps = { api, config, visitor, t, language, page, widgetKey };
    if (screen === 'home')
      body = (
        <HomeScreen
          {...shared}
          hasOngoing={hasOngoing}
          onChat={startChat}
          onMessage={() => setScreen('message')}
          onCallback={() => setScreen('callback')}
        />
      );
    else if (screen === 'prechat' && PreChatScreen)
      body = (
        <PreChatScreen
          {...shared}
          onDone={(answers) => {
            setPreChat(answers);
            setScreen('chat');
          }}
        />
      );
    else if (screen === 'chat' && ChatScreen)
      body = (
        <ChatScreen
          {...shared}
          conversation={conversation}
          preChat={preChat}
          visible={open}
          bridge={bridge}
          onConversation={(c) => {
            setConversation(c);
            bridge.post({ type: 'seva:ongoing', ongoing: c.chatStatus !== 'ended' });
          }}
          onNewChat={() => {
            setConversation(null);
            setPreChat({});
            bridge.post({ type: 'seva:ongoing', ongoing: false });
            startChat();
          }}
          onLeaveMessage={() => setScreen('message')}
        />
      );
    else if (screen === 'message' && LeaveMessageScreen) body = <LeaveMessageScreen {...shared} />;
    else if (screen === 'callback' && CallbackScreen) body = <CallbackScreen {...shared} />;
  }

  return (
    <div class="widget">
      <header class="header">
        {screen !== 'home' || article ? (
          <button
            type="button"
            class="icon-button"
            onClick={home}
            aria-label={t('widget.back')}
            title={t('widget.back')}
          >
            ←
          </button>
        ) : null}
        <h1 class="title">{config?.name ?? t('widget.title')}</h1>
        <label class="language">
          <span class="visually-hidden">{t('widget.language')}</span>
          <select
            value={language}
            onChange={(e) => setLanguage((e.currentTarget as HTMLSelectElement).value as Language)}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        {bridge.embedded ? (
          <button
            type="button"
            class="icon-button"
            onClick={close}
            aria-label={t('widget.close')}
            title={t('widget.close')}
          >
            ×
          </button>
        ) : null}
      </header>
      <main class="body">
        <KbContext.Provider value={config?.options.kb ? kb : null}>
          {article && ArticleView ? (
            <ArticleView
              api={api}
              t={t}
              language={language}
              target={article}
              onChat={
                chatOffered
                  ? () => {
                      setArticle(null);
                      if (screen !== 'chat') startChat();
                    }
                  : null
              }
              onMessage={
                messageOffered
                  ? () => {
                      setArticle(null);
                      setScreen('message');
                    }
                  : null
              }
            />
          ) : null}
          {/* the screen stays mounted under an open article, so nothing typed in a form is lost */}
          <div class="screen" hidden={article !== null}>
            {body}
            {/* beside the home screen, never wrapping it: a wrapper appearing when its chunk loads would remount the
                home screen and take the keyboard focus off its first action */}
            {screen === 'home' && PendingSurveyCard && visitor ? (
              <PendingSurveyCard visitorToken={visitor.visitorToken} language={language} />
            ) : null}
          </div>
        </KbContext.Provider>
      </main>
    </div>
  );
}
