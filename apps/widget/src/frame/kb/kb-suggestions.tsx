import { useContext, useEffect, useRef } from 'preact/hooks';
import type { WidgetApi } from '../api.ts';
import type { Language, Translate } from '../i18n/index.ts';
import { ArticleHit } from './article-hit.tsx';
import { KbContext } from './kb-context.ts';
import { useArticleSearch } from './use-article-search.ts';

export interface KbSuggestionsProps {
  api: WidgetApi;
  t: Translate;
  language: Language;
  widgetKey: string;
  /** what the visitor is typing into a contact form */
  text: string;
}

const MIN_LENGTH = 6;
const MAX_SHOWN = 3;

/**
 * Articles that may answer what the visitor is typing into a contact form, shown beside the form — never instead of
 * it: the send button stays where it is. Leaving the form unsent after seeing suggestions is reported as abandoned.
 */
export function KbSuggestions(props: KbSuggestionsProps) {
  const { t } = props;
  const kb = useContext(KbContext);
  const found = useArticleSearch({ ...props, query: props.text, minLength: MIN_LENGTH });
  const hits = found?.hits.slice(0, MAX_SHOWN) ?? [];
  const session = useRef(kb?.session);

  useEffect(() => {
    if (found && hits.length > 0)
      kb?.session.shown(
        found.query,
        hits.map((h) => h.id),
      );
  }, [found]);
  // the form went away (back, closed): a no-op when nothing was shown or the request was sent
  useEffect(() => () => session.current?.abandoned(), []);

  if (!kb || !found || hits.length === 0) return null;
  return (
    <section class="suggestions" aria-live="polite" data-testid="kb-suggestions">
      <h3>{t('kb.suggestions')}</h3>
      <ul class="hits">
        {hits.map((h) => (
          <ArticleHit
            key={h.id}
            hit={h}
            showSnippet={false}
            onOpen={(hit) => kb.openArticle({ id: hit.id, language: hit.language, searchId: found.searchId })}
          />
        ))}
      </ul>
    </section>
  );
}
