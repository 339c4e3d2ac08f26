/**
 * Charset decoding that degrades, never fails: the declared charset via TextDecoder (Node's full ICU knows
 * windows-125x, KOI8-R, ISO-2022-JP, GB18030, Big5 …), then strict UTF-8, then windows-1252 for anything unknown.
 */
const ALIASES: Record<string, string> = {
  'ks_c_5601-1987': 'euc-kr',
  'x-sjis': 'shift_jis',
  'x-euc-jp': 'euc-jp',
  gb2312: 'gbk',
  'x-gbk': 'gbk',
  cp1252: 'windows-1252',
  'x-user-defined': 'windows-1252',
  'iso-8859-8-i': 'iso-8859-8',
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
};

export function normaliseCharset(charset: string | undefined | null): string {
  const c = (charset ?? '').trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (c === '' || c === 'us-ascii' || c === 'ascii' || c === 'ansi_x3.4-1968') return 'utf-8';
  return ALIASES[c] ?? c;
}

/** windows-1252 code points for bytes 0x80–0x9F (Node 20's decoder treats the label as ISO-8859-1). */
const CP1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Replaces C1 control characters (U+0080–U+009F) with what windows-1252 means by those bytes: mail labelled
 * ISO-8859-1 is nearly always windows-1252 in practice, and C1 controls are never wanted text.
 */
export function fixC1(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => String.fromCodePoint(CP1252_C1[c.charCodeAt(0) - 0x80] ?? 0xfffd));
}

export function decodeBytes(bytes: Uint8Array, charset?: string | null): string {
  const label = normaliseCharset(charset);
  try {
    const text = new TextDecoder(label).decode(bytes);
    return /^(windows-1252|iso-8859-1|latin1|l1|cp819|iso8859-1|iso_8859-1)$/.test(label) ? fixC1(text) : text;
  } catch {
    // unknown label: fall through
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fixC1(new TextDecoder('windows-1252').decode(bytes));
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

function decodeQ(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (ch === '_') out.push(0x20);
    else if (ch === '=' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(ch.charCodeAt(0) & 0xff);
  }
  return Uint8Array.from(out);
}

function decodeB(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/[^A-Za-z0-9+/]/g, ''), 'base64'));
}

/**
 * Decodes RFC 2047 encoded-words in a header value. Adjacent encoded-words in the same charset are joined as
 * bytes before decoding, so a multibyte character split across two words (common with Bengali and Hindi in
 * base64) comes out whole. Whitespace between adjacent encoded-words is dropped, as the RFC says.
 */
export function decodeEncodedWords(value: string): string {
  type Piece = { kind: 'text'; text: string } | { kind: 'word'; charset: string; bytes: Uint8Array };
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of value.matchAll(ENCODED_WORD)) {
    const start = m.index ?? 0;
    const between = value.slice(last, start);
    const prev = pieces[pieces.length - 1];
    if (between !== '' && !(prev?.kind === 'word' && /^\s+$/.test(between))) pieces.push({ kind: 'text', text: between });
    const charset = normaliseCharset((m[1] ?? '').split('*')[0]);
    const bytes = (m[2] ?? '').toUpperCase() === 'B' ? decodeB(m[3] ?? '') : decodeQ(m[3] ?? '');
    const tail = pieces[pieces.length - 1];
    if (tail?.kind === 'word' && tail.charset === charset) {
      const joined = new Uint8Array(tail.bytes.length + bytes.length);
      joined.set(tail.bytes);
      joined.set(bytes, tail.bytes.length);
      tail.bytes = joined;
    } else pieces.push({ kind: 'word', charset, bytes });
    last = start + m[0].length;
  }
  if (last < value.length) pieces.push({ kind: 'text', text: value.slice(last) });
  return pieces.map((p) => (p.kind === 'text' ? p.text : decodeBytes(p.bytes, p.charset))).join('');
}

/** Removes control characters (except tab/newline) that have no place in a subject or a name. */
export function stripControls(value: string): string {
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}
