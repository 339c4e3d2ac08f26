import { type ScreenProps, labelIn } from './screen-props.ts';
import { KbSearch } from './kb-search.tsx';

export interface HomeScreenProps extends ScreenProps {
  hasOngoing: boolean;
  onChat(): void;
  onMessage(): void;
  onCallback(): void;
}

/** Greeting in the visitor's language and the options the widget offers right now. */
export function HomeScreen(props: HomeScreenProps) {
  const { config, t, language } = props;
  const chatOffered = props.hasOngoing || (config.options.chat && config.isOpen && config.agentsAvailable);
  const messageOffered = !chatOffered || config.options.message;
  const greeting = labelIn(config.greetings, language, config.defaultLanguage) || t('home.greeting');
  let opensAt: string | null = null;
  if (!chatOffered && config.opensAt) {
    const d = new Date(config.opensAt);
    if (!Number.isNaN(d.getTime())) opensAt = d.toLocaleString(language, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  }
  return (
    <div class="home">
      <p class="greeting">{greeting}</p>
      {!chatOffered && config.options.chat ? (
        <p class="muted" data-testid="offline-note">
          {t('home.offline')} {opensAt ? t('home.opensAt', { time: opensAt }) : null}
        </p>
      ) : null}
      <div class="actions">
        {chatOffered ? (
          <button type="button" class="primary" onClick={props.onChat}>
            {props.hasOngoing ? t('home.continueChat') : t('home.chat')}
          </button>
        ) : null}
        {messageOffered ? (
          <button type="button" class={chatOffered ? 'secondary' : 'primary'} onClick={props.onMessage}>
            {t('home.message')}
          </button>
        ) : null}
        {config.options.callback ? (
          <button type="button" class="secondary" onClick={props.onCallback}>
            {t('home.callback')}
          </button>
        ) : null}
      </div>
      {config.options.kb ? <KbSearch {...props} /> : null}
    </div>
  );
}
