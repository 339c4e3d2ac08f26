import { describe, expect, it } from 'vitest';
import { createHelpSession } from './help-session.ts';
import { snippetParts } from './snippet.ts';

describe('search snippets in the widget', () => {
  it('keeps only <mark> as markup and decodes the escaped text', () => {
    expect(
      snippetParts('… the <mark>অর্ডার</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; <mark>কবে</mark> …'),
    ).toEqual([
      { text: '… the ', mark: false },
      { text: 'অর্ডার', mark: true },
      { text: ' <script>alert(1)</script> &amp; ', mark: false },
      { text: 'কবে', mark: true },
      { text: ' …', mark: false },
    ]);
  });

  it('never turns other tags into markup', () => {
    const parts = snippetParts('<b>bold</b> <img src=x onerror=alert(1)>');
    expect(parts).toEqual([{ text: '<b>bold</b> <img src=x onerror=alert(1)>', mark: false }]);
  });
});

describe('the help session (deflection reports)', () => {
  const sent: Array<Record<string, unknown>> = [];
  let n = 0;
  const session = createHelpSession({
    send: async (body) => sent.push(body),
    language: () => 'bn',
    makeId: () => `session-${++n}`,
  });

  it('reports each set of shown articles and each opened article once', () => {
    session.shown('অর্ডার', ['a', 'b']);
    session.shown('অর্ডার কবে', ['b', 'a']);
    session.shown('x', []);
    session.opened('a');
    session.opened('a');
    expect(sent).toEqual([
      { event: 'suggestions_shown', query: 'অর্ডার', articleIds: ['a', 'b'], sessionId: 'session-1', language: 'bn' },
      { event: 'article_opened', articleId: 'a', sessionId: 'session-1', language: 'bn' },
    ]);
  });

  it('reports a contact request after suggestions, then starts a new session', () => {
    sent.length = 0;
    session.submitted();
    expect(sent).toEqual([{ event: 'contact_submitted', sessionId: 'session-1', language: 'bn' }]);
    expect(session.id).toBe('session-2');
    // nothing was shown in the new session: leaving a form is not a deflection
    session.abandoned();
    session.submitted();
    expect(sent).toHaveLength(1);
  });

  it('reports giving up on a form once', () => {
    sent.length = 0;
    session.shown('refund', ['c']);
    session.abandoned();
    session.abandoned();
    expect(sent.map((s) => s.event)).toEqual(['suggestions_shown', 'contact_abandoned']);
  });
});
