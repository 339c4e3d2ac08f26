import { describe, expect, it } from 'vitest';
import { sanitizeSnippet } from './sanitize-snippet.ts';

const tagsIn = (html: string) => [...html.matchAll(/<\/?([a-zA-Z][^\s/>]*)/g)].map((m) => (m[1] as string).toLowerCase());

describe('search snippet sanitiser', () => {
  it('keeps text and <mark> highlights as they are', () => {
    expect(sanitizeSnippet('refund for <mark>order</mark> 42 &amp; more')).toBe('refund for <mark>order</mark> 42 &amp; more');
  });

  it('keeps Bengali and Hindi text intact', () => {
    expect(sanitizeSnippet('আমার <mark>অর্ডার</mark> कहाँ है')).toBe('আমার <mark>অর্ডার</mark> कहाँ है');
  });

  it('turns every other tag into text', () => {
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      '<mark onclick="alert(1)">x</mark>',
      '<svg/onload=alert(1)>',
      '<a href="javascript:alert(1)">x</a>',
      '<<mark>>x',
      '<mark\n>x</mark>',
      '<iframe srcdoc="<script>alert(1)</script>">',
      '</mark><script>alert(1)</script><mark>',
    ];
    for (const p of payloads) {
      const out = sanitizeSnippet(p);
      expect(tagsIn(out).every((tag) => tag === 'mark'), `${p} → ${out}`).toBe(true);
      expect(out).not.toMatch(/<mark\s[^>]/);
    }
  });

  it('escapes a stray ampersand but keeps real character references', () => {
    expect(sanitizeSnippet('a & b &lt;c&gt; &#2437; &x')).toBe('a &amp; b &lt;c&gt; &#2437; &amp;x');
  });

  it('balances unclosed and stray marks', () => {
    expect(sanitizeSnippet('<mark>open')).toBe('<mark>open</mark>');
    expect(sanitizeSnippet('close</mark> <mark><mark>x</mark>')).toBe('close <mark>x</mark>');
  });
});
