import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { identifyRawEmail } from '../src/modules/email/content-hash.ts';
import { decodeEncodedWords } from '../src/modules/email/decode-text.ts';
import { isAutoSubmitted } from '../src/modules/email/is-auto-submitted.ts';
import { parseEmail } from '../src/modules/email/parse-email.ts';
import { sanitizeEmailHtml } from '../src/modules/email/sanitize-email-html.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/email');
const load = (name: string) => fs.readFileSync(path.join(dir, name));

describe('parsing inbound email', () => {
  it('joins a Bengali character split across two base64 encoded-words', async () => {
    const p = await parseEmail(load('bengali-subject-b-split.eml'));
    expect(p.subject).toBe('বাংলায় সাহায্য চাই');
    expect(p.from).toEqual({ address: 'rahim@example.net', name: 'রহিম উদ্দিন' });
    expect(p.text).toContain('আমার অর্ডার এখনো আসেনি।');
  });

  it('decodes a Hindi subject split across quoted-printable encoded-words', async () => {
    const p = await parseEmail(load('hindi-subject-q.eml'));
    expect(p.subject).toBe('हिंदी में मदद चाहिए');
    expect(p.text).toContain('मेरा खाता बंद हो गया है।');
  });

  it('decodes legacy charsets: windows-1252, ISO-2022-JP, KOI8-R, GB18030 and Big5', async () => {
    const cp = await parseEmail(load('windows-1252.eml'));
    expect(cp.subject).toBe('Café – naïve €');
    expect(cp.from?.name).toBe('Renée Façon');
    expect(cp.text).toContain('Crème brûlée € 5 “quoted”');
    const jp = await parseEmail(load('iso-2022-jp.eml'));
    expect(jp.subject).toBe('サポート');
    expect(jp.text).toContain('こんにちは');
    const ru = await parseEmail(load('koi8-r.eml'));
    expect(ru.subject).toBe('Привет');
    expect(ru.text).toContain('Привет');
    const cjk = await parseEmail(load('gb18030-big5.eml'));
    expect(cjk.subject).toBe('你好謝謝');
    expect(cjk.text).toContain('你好世界');
  });

  it('degrades an unknown charset instead of failing', async () => {
    const p = await parseEmail(load('unknown-charset.eml'));
    expect(p.subject).toBe('Hello é');
    expect(p.text).toContain('ok');
  });

  it('keeps an attachment under a safe name and finds no subject', async () => {
    const p = await parseEmail(load('attachment-only-no-subject.eml'));
    expect(p.subject).toBe('');
    expect(p.attachments).toHaveLength(1);
    expect(p.attachments[0]?.filename).toBe('passwd.pdf');
  });

  it('marks a cid-referenced image as inline', async () => {
    const p = await parseEmail(load('inline-image.eml'));
    expect(p.attachments[0]).toMatchObject({ contentId: 'shot1@example.com', isInline: true, contentType: 'image/png' });
  });

  it('reads the delivery status and the original Message-ID of a DSN bounce', async () => {
    const raw = load('dsn-bounce.eml').toString('latin1').replace('{{ORIGINAL}}', 'seva.abc@example.com');
    const p = await parseEmail(Buffer.from(raw, 'latin1'));
    expect(p.bounce).toMatchObject({ originalMessageId: 'seva.abc@example.com', recipients: ['gone@customer.example'], status: '5.1.1' });
  });

  it('parses a zero-byte body', async () => {
    const p = await parseEmail(load('zero-byte-body.eml'));
    expect(p.text).toBe('');
    expect(p.messageId).toBe('empty-1@example.com');
  });

  it('decodes adjacent encoded-words in different charsets independently', () => {
    expect(decodeEncodedWords('=?utf-8?Q?a?= plain =?iso-8859-1?Q?=E9?=')).toBe('a plain é');
  });
});

describe('classifying machine mail (RFC 3834)', () => {
  const classify = async (name: string, envelopeFrom: string | null = 'x@example.com') => {
    const p = await parseEmail(load(name));
    return isAutoSubmitted({ headers: p.headers, envelopeFrom, fromAddress: p.from?.address ?? '', contentType: p.contentType }).kind;
  };
  it('recognises newsletters, auto-replies, bounces and the null sender', async () => {
    expect(await classify('newsletter-bulk.eml')).toBe('bulk');
    expect(await classify('auto-reply.eml')).toBe('auto_replied');
    expect(await classify('dsn-bounce.eml')).toBe('bounce');
    expect(await classify('missing-message-id.eml', '')).toBe('auto_generated');
    expect(await classify('missing-message-id.eml')).toBeNull();
  });
});

describe('sanitising inbound HTML', () => {
  it('removes scripts, event handlers, javascript: links and frames', async () => {
    const p = await parseEmail(load('html-xss.eml'));
    const html = sanitizeEmailHtml(p.html ?? '');
    expect(html).not.toMatch(/script|onerror|onclick|onload|javascript:|iframe|svg/i);
    expect(html).toContain('href="https://ok.example/"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });
});

describe('identifying a raw message for deduplication', () => {
  it('ignores trace headers added by a second delivery', () => {
    const raw = load('hindi-subject-q.eml');
    const again = Buffer.concat([Buffer.from('Received: from mx2.example by mx.example\r\nReturn-Path: <p@example.org>\r\n'), raw]);
    const a = identifyRawEmail(raw);
    const b = identifyRawEmail(again);
    expect(a.contentHash).toBe(b.contentHash);
    expect(a.sha256).not.toBe(b.sha256);
    expect(a.messageIdHeader).toBe('hi-q-1@example.org');
  });
});
