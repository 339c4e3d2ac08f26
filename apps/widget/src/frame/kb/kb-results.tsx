import { useContext, useEffect } from 'preact/hooks';
import type { WidgetApi } from '../api.ts';
import type { Language, Translate } from '../i18n/index.ts';
import { ArticleHit } from './article-hit.tsx';
import { KbContext } from './kb-context.ts';
import { useArticleSearch } from './use-article-search.ts';

export interface KbResultsProps {
  api: WidgetApi;
  t: Translate;
  language: Language;
  widgetKey: string;
  query: string;
}

/** The home screen's search results (a lazy chunk): articles with highlighted snippets, opened in the widget. */
export function KbResults(props: KbResultsProps) {
  const { t, language } = props;
  const kb = useContext(KbContext);
  const found = useArticleSearch({ ...props, minLength: 2 });

  useEffect(() => {
    if (found && found.hits.length > 0)
      kb?.session.shown(
        found.query,
        found.hits.map((h) => h.id),
      );
  }, [found]);

  if (!found) return null;
  const all = `/help/${language}/search?q=${encodeURIComponent(found.query)}`;
  return (
    <div class="kb-results" aria-live="polite">
      {found.hits.length === 0 ? (
        <p class="muted" role="status">
          {t('kb.noResults')}
        </p>
      ) : (
        <ul class="hits" aria-label={t('kb.results')}>
          {found.hits.map((h) => (
            <ArticleHit
              key={h.id}
              hit={h}
              showSnippet
              onOpen={(hit) => kb?.openArticle({ id: hit.id, language: hit.language, searchId: found.searchId })}
            />
          ))}
        </ul>
      )}
      <a class="all-results" href={all} target="_blank" rel="noopener noreferrer">
        {t('kb.searchAll')}
      </a>
    </div>
  );
}
