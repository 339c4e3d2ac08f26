import { describe, expect, it } from 'vitest';
import { htmlToText, sanitiseMessageHtml } from './sanitise-message-html.ts';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<svg onload=alert(1)><circle/></svg>',
  '<iframe src="https://evil.example"></iframe>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<form action="https://evil.example"><input name=a></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<object data="data:text/html,<script>alert(1)</script>"></object>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<img src="http://tracker.example/p.gif">',
  '<body onload=alert(1)>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<base href="https://evil.example/">',
];

describe('sanitiseMessageHtml', () => {
  it('removes scripts, event handlers, active URLs and frames from every payload', () => {
    for (const p of PAYLOADS) {
      const out = sanitiseMessageHtml(p);
      expect(out, p).not.toMatch(
        /<script|onerror|onload|javascript:|<iframe|<svg|<object|<form|<style|style=|data:|<meta|<base|http:\/\/tracker/i,
      );
    }
  });

  it('keeps ordinary formatting and safe links, opened in a new tab without referrer', () => {
    const out = sanitiseMessageHtml('<p>Hello <b>there</b> <a href="https://seva.dev/x" onclick="x()">docs</a></p>');
    expect(out).toBe(
      '<p>Hello <b>there</b> <a href="https://seva.dev/x" target="_blank" rel="noopener noreferrer nofollow">docs</a></p>',
    );
  });

  it('keeps inline images from cid: and https only', () => {
    expect(sanitiseMessageHtml('<img src="cid:logo@x">')).toBe('<img src="cid:logo@x" />');
    expect(sanitiseMessageHtml('<img src="https://cdn.example/a.png" alt="a">')).toBe(
      '<img src="https://cdn.example/a.png" alt="a" />',
    );
  });

  it('keeps Bengali and Hindi text intact', () => {
    expect(sanitiseMessageHtml('<p>আমার অর্ডার — मेरा ऑर्डर</p>')).toBe('<p>আমার অর্ডার — मेरा ऑर्डर</p>');
  });
});

describe('htmlToText', () => {
  it('turns paragraphs and line breaks into lines and decodes entities', () => {
    expect(htmlToText('<p>Hi &amp; welcome</p><p>Line 1<br>Line 2</p><ul><li>a</li><li>b</li></ul>')).toBe(
      'Hi & welcome\nLine 1\nLine 2\n- a\n- b',
    );
  });

  it('drops script and style content entirely', () => {
    expect(htmlToText('<style>p{}</style><script>alert(1)</script><p>ok &lt;b&gt;</p>')).toBe('ok <b>');
  });
});
