import { useEffect, useRef, useState } from 'preact/hooks';
import type { WidgetArticleHit } from '../api.ts';
import type { ScreenProps } from './screen-props.ts';

/** Search-as-you-type over the public help centre; results open in a new tab (titles and snippets as text). */
export function KbSearch({ api, t, language, widgetKey }: ScreenProps) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<WidgetArticleHit[] | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const query = q.trim();
    if (query.length < 2) {
      setHits(null);
      return;
    }
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      api
        .searchArticles(widgetKey, query, language)
        .then((items) => {
          if (mine === seq.current) setHits(items);
        })
        .catch(() => {
          if (mine === seq.current) setHits([]);
        });
    }, 200);
    return () => clearTimeout(timer);
  }, [q, language]);

  return (
    <section class="kb" aria-label={t('kb.search')}>
      <label class="field">
        <span>{t('kb.search')}</span>
        <input type="search" value={q} placeholder={t('kb.placeholder')} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
      </label>
      {hits && hits.length === 0 ? <p class="muted">{t('kb.noResults')}</p> : null}
      {hits && hits.length > 0 ? (
        <ul class="hits">
          {hits.map((h) => (
            <li key={h.id}>
              <a href={safeUrl(h.url)} target="_blank" rel="noopener noreferrer">
                {h.title}
              </a>
              <p class="muted">{h.snippet}</p>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** Only http(s) links or paths on Seva itself (never javascript: or data:). */
function safeUrl(url: string): string {
  try {
    const u = new URL(url, location.origin);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : '#';
  } catch {
    return '#';
  }
}
