import { describe, expect, it } from 'vitest';
import { articleHtmlToText, renderArticleBody, slugify, summarise } from './kb-body.ts';

describe('article bodies', () => {
  it('converts Markdown with tables and code, and sanitises raw HTML inside it', () => {
    const html = renderArticleBody(
      '## Steps\n\n```js\nconst a = 1;\n```\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))',
      'markdown',
    );
    expect(html).toContain('<h2');
    expect(html).toContain('<code class="language-js">');
    expect(html).not.toMatch(/onerror|javascript:/);
  });

  it('allows iframes only from the video allow-list', () => {
    expect(renderArticleBody('<iframe src="https://player.vimeo.com/video/1"></iframe>', 'html')).toContain(
      'player.vimeo.com',
    );
    expect(renderArticleBody('<iframe src="https://www.youtube.com/embed/1"></iframe>', 'html')).not.toContain(
      'iframe src',
    );
    expect(renderArticleBody('<iframe src="http://player.vimeo.com/video/1"></iframe>', 'html')).not.toContain('vimeo');
  });

  it('keeps external links safe', () => {
    expect(renderArticleBody('<a href="https://example.com">x</a>', 'html')).toContain('rel="noopener noreferrer"');
  });

  it('makes text, summaries and slugs in any script', () => {
    expect(articleHtmlToText('<p>a &amp; b</p><ul><li>one</li><li>two</li></ul>')).toBe('a & b\none\ntwo');
    expect(summarise('word '.repeat(100), 20).endsWith('…')).toBe(true);
    expect(slugify('মেরা ऑर्डर: Where?')).toBe('মেরা-ऑर्डर-where');
  });
});
