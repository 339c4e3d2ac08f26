import type { WidgetArticleHit } from '../api.ts';
import { snippetParts } from './snippet.ts';

/** One search hit as a button that opens the article in the widget; the snippet is rendered as text and <mark>s. */
export function ArticleHit(props: {
  hit: WidgetArticleHit;
  showSnippet: boolean;
  onOpen(hit: WidgetArticleHit): void;
}) {
  const { hit } = props;
  return (
    <li>
      <button type="button" class="hit" lang={hit.language} onClick={() => props.onOpen(hit)} data-testid="kb-hit">
        <span class="hit-title">{hit.title}</span>
        {props.showSnippet ? (
          <span class="hit-snippet">
            {snippetParts(hit.snippet).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : p.text))}
          </span>
        ) : null}
      </button>
    </li>
  );
}
