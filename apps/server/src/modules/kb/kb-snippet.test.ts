import { describe, expect, it } from 'vitest';
import { planQuery } from './kb-query.ts';
import { makeSnippet } from './kb-snippet.ts';

describe('makeSnippet', () => {
  it('escapes the article text and marks only the matched words', () => {
    const text = 'Intro <script>alert(1)</script> and more. Refunds are paid within 5 days & never late.';
    const snippet = makeSnippet(text, planQuery('refund days').units);
    expect(snippet).toContain('<mark>Refunds</mark>');
    expect(snippet).toContain('<mark>days</mark>');
    expect(snippet).toContain('&lt;script&gt;');
    expect(snippet).toContain('&amp;');
    expect(snippet.replace(/<\/?mark>/g, '')).not.toMatch(/<|>/);
  });

  it('highlights Bengali words with ZWJ inside and Hindi words with nukta', () => {
    const bn = makeSnippet('আপনার র‍্যাব অর্ডার কোথায় আছে', planQuery('অর্ডার').units);
    expect(bn).toContain('<mark>অর্ডার</mark>');
    const hi = makeSnippet('रिफ़ंड पाँच दिन में', planQuery('रिफंड').units);
    expect(hi).toContain('<mark>रिफ़ंड</mark>');
  });
});
