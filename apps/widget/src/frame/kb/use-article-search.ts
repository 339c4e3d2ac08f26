import { useEffect, useRef, useState } from 'preact/hooks';
import type { WidgetApi, WidgetArticleHit } from '../api.ts';

export interface ArticleSearch {
  query: string;
  hits: WidgetArticleHit[];
  searchId: number | null;
}

const DEBOUNCE_MS = 250;

/**
 * Search-as-you-type over the public help centre: waits for a pause in typing, keeps only the newest answer, and
 * gives null until there is something to show (too short a query, or no answer yet).
 */
export function useArticleSearch(opts: {
  api: WidgetApi;
  widgetKey: string;
  language: string;
  query: string;
  minLength: number;
}): ArticleSearch | null {
  const [result, setResult] = useState<ArticleSearch | null>(null);
  const seq = useRef(0);
  const query = opts.query.trim().replace(/\s+/g, ' ').slice(0, 200);
  useEffect(() => {
    const mine = ++seq.current;
    if ([...query].length < opts.minLength) {
      setResult(null);
      return;
    }
    const timer = setTimeout(() => {
      opts.api
        .searchArticles(opts.widgetKey, query, opts.language)
        .then((res) => {
          if (mine === seq.current) setResult({ query, hits: res.items, searchId: res.searchId });
        })
        .catch(() => {
          if (mine === seq.current) setResult({ query, hits: [], searchId: null });
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, opts.language]);
  return result;
}
