import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../platform/text/normalise.ts';
import { buildSnippet, editDistance, escapeHtml, wordMatches } from './snippet.ts';

describe('search snippets', () => {
  it('escapes customer HTML before adding <mark>, so a script can never run', () => {
    const s = buildSnippet('Hello <script>alert("x")</script> I need a refund & more', { terms: ['refund'] });
    expect(s).toBe('Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; I need a <mark>refund</mark> &amp; more');
    expect(s).not.toContain('<script');
  });

  it('marks a word that only matches once normalised (nukta, case, ZWJ)', () => {
    expect(buildSnippet('मुझे ज़रूरत है', { terms: searchTerms('जरूरत') })).toBe('मुझे <mark>ज़रूरत</mark> है');
    expect(buildSnippet('REFUND please', { terms: ['refund'] })).toBe('<mark>REFUND</mark> please');
  });

  it('marks prefixes and one-letter typos', () => {
    expect(buildSnippet('my refund is late', { terms: ['ref'] })).toBe('my <mark>refund</mark> is late');
    expect(buildSnippet('my refund is late', { terms: ['refnud'] })).toBe('my <mark>refund</mark> is late');
    expect(buildSnippet('my reference', { terms: ['refnud'] })).toBe('my reference');
  });

  it('cuts long text to a window around the matches with ellipses, never inside a word', () => {
    const long = `${'lorem ipsum '.repeat(50)}the parcel arrived damaged ${'dolor sit '.repeat(50)}`;
    const s = buildSnippet(long, { terms: ['damaged'], maxLength: 80 });
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('<mark>damaged</mark>');
    expect(s.replace(/<\/?mark>/g, '').length).toBeLessThanOrEqual(90);
    expect(s).toMatch(/^…\S/);
    expect(s).toMatch(/\S…$/);
  });

  it('starts at the beginning when nothing can be marked', () => {
    expect(buildSnippet('a b c', { terms: ['zzz'] })).toBe('a b c');
  });

  it('helpers: escapes every HTML-special character and counts swaps as one edit', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(editDistance('refnud', 'refund', 2)).toBe(1);
    expect(wordMatches('অর্ডার', 'অর্ড')).toBe(true);
  });
});
