import type { WidgetKbArticle } from '@seva/contracts';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { WidgetApi } from '../api.ts';
import type { Translate } from '../i18n/index.ts';
import { type ArticleTarget, KbContext } from './kb-context.ts';
import { sanitiseArticle } from './sanitise-article.ts';

export interface ArticleViewProps {
  api: WidgetApi;
  t: Translate;
  language: string;
  target: ArticleTarget;
  /** the ways to reach a person the widget offers right now (never hidden behind an article) */
  onChat: (() => void) | null;
  onMessage: (() => void) | null;
}

/** A help article inside the widget (a lazy chunk): the sanitised body, "was this helpful?", the full page, people. */
export function ArticleView(props: ArticleViewProps) {
  const { api, t, target } = props;
  const kb = useContext(KbContext);
  const [article, setArticle] = useState<WidgetKbArticle | null>(null);
  const [failed, setFailed] = useState(false);
  const [vote, setVote] = useState<'yes' | 'no' | null>(null);
  const body = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let alive = true;
    setArticle(null);
    setFailed(false);
    setVote(null);
    api
      .getArticle(target.id, target.language, target.searchId)
      .then((a) => {
        if (alive) setArticle(a);
      })
      .catch(() => {
        if (alive) setFailed(true);
      });
    return () => {
      alive = false;
    };
  }, [target.id, target.language]);

  useEffect(() => {
    const el = body.current;
    if (!el || !article) return;
    el.replaceChildren(sanitiseArticle(article.bodyHtml, document));
    heading.current?.focus();
  }, [article]);

  const rate = (helpful: boolean) => {
    if (!article) return;
    setVote(helpful ? 'yes' : 'no');
    api
      .rateArticle(article.id, { language: article.language, helpful, ...(kb ? { sessionId: kb.session.id } : {}) })
      .catch(() => {
        // the thanks stays: a lost vote never gets in the visitor's way
      });
  };

  return (
    <article class="kb-article" data-testid="kb-article">
      {failed ? <p role="alert">{t('kb.articleMissing')}</p> : null}
      {!article && !failed ? (
        <p class="muted" role="status">
          {t('widget.loading')}
        </p>
      ) : null}
      {article ? (
        <>
          <h2 ref={heading} tabIndex={-1} lang={article.language}>
            {article.title}
          </h2>
          <div class="kb-body" lang={article.language} ref={body} />
          <div class="kb-feedback">
            {vote === null ? (
              <fieldset class="kb-vote">
                <legend>{t('kb.helpful')}</legend>
                <button type="button" class="secondary" onClick={() => rate(true)}>
                  {t('kb.yes')}
                </button>
                <button type="button" class="secondary" onClick={() => rate(false)}>
                  {t('kb.no')}
                </button>
              </fieldset>
            ) : (
              <p role="status" data-testid="kb-thanks">
                {vote === 'yes' ? t('kb.thanksYes') : t('kb.thanksNo')}
              </p>
            )}
          </div>
          <a class="all-results" href={article.url} target="_blank" rel="noopener noreferrer">
            {t('kb.openFull')}
          </a>
        </>
      ) : null}
      {props.onChat || props.onMessage ? (
        <div class="kb-contact">
          <p class="muted">{t('kb.stillNeedHelp')}</p>
          {props.onChat ? (
            <button type="button" class="secondary" onClick={props.onChat}>
              {t('home.chat')}
            </button>
          ) : null}
          {props.onMessage ? (
            <button type="button" class="secondary" onClick={props.onMessage}>
              {t('home.message')}
            </button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}
