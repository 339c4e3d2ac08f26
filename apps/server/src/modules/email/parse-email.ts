import PostalMime, { type Address, type Attachment as PostalAttachment } from 'postal-mime';
import { decodeBytes, decodeEncodedWords, fixC1, stripControls } from './decode-text.ts';

/**
 * Our own view of an email, behind which the MIME library stays replaceable. Subjects and names are decoded with
 * our RFC 2047 decoder (split multibyte encoded-words come out whole); bodies in any charset degrade, never fail.
 */
export interface EmailAddress {
  address: string;
  name: string;
}

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
  contentId: string | null;
  isInline: boolean;
}

export interface BounceInfo {
  /** Message-ID of the message that bounced (without <>) */
  originalMessageId: string | null;
  recipients: string[];
  status: string | null;
  diagnostic: string | null;
  action: string | null;
}

export interface ParsedEmail {
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  subject: string;
  from: EmailAddress | null;
  replyTo: EmailAddress[];
  to: EmailAddress[];
  cc: EmailAddress[];
  date: Date | null;
  text: string;
  /** unsanitised; run it through sanitizeEmailHtml before storing or showing */
  html: string | null;
  attachments: ParsedAttachment[];
  /** lower-case header name → raw values in order */
  headers: Map<string, string[]>;
  contentType: string;
  bounce: BounceInfo | null;
}

const MSGID = /<([^<>\s]+)>/g;

/** `<a@b> <c@d>` → ['a@b', 'c@d']; tolerates ids without brackets. */
export function parseMessageIds(value: string | undefined | null): string[] {
  if (!value) return [];
  const ids = [...value.matchAll(MSGID)].map((m) => m[1] as string);
  if (ids.length > 0) return ids.map(normaliseMessageId);
  const bare = value.trim();
  return bare && /^[^\s@]+@[^\s@]+$/.test(bare) ? [normaliseMessageId(bare)] : [];
}

export function normaliseMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, '').slice(0, 500);
}

function flatten(addresses: Address[] | Address | undefined): EmailAddress[] {
  if (!addresses) return [];
  const list = Array.isArray(addresses) ? addresses : [addresses];
  const out: EmailAddress[] = [];
  for (const a of list) {
    if (a.group) for (const m of a.group) out.push(clean(m.address, m.name));
    else if (a.address) out.push(clean(a.address, a.name));
  }
  return out.filter((a) => /^[^\s@]+@[^\s@]+$/.test(a.address));
}

function clean(address: string, name: string): EmailAddress {
  return { address: address.trim().toLowerCase(), name: stripControls(decodeEncodedWords(name ?? '')).trim().slice(0, 200) };
}

/** A safe file name: no directories, no control or shell-hostile characters, bounded length. */
export function safeFilename(name: string | null | undefined, fallback: string): string {
  const decoded = stripControls(decodeEncodedWords(name ?? ''));
  const base = decoded.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[<>:"|?*\u0000-\u001f]/g, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
  return cleaned === '' ? fallback : cleaned;
}

function toBytes(content: PostalAttachment['content']): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'application/pdf': 'pdf', 'text/plain': 'txt' };

function fieldValue(text: string, field: string): string | null {
  const m = new RegExp(`^${field}\\s*:\\s*(.+)$`, 'im').exec(text);
  return m?.[1]?.trim() ?? null;
}

function readBounce(attachments: ParsedAttachment[]): BounceInfo {
  const status = attachments.find((a) => a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status');
  const original = attachments.find((a) => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers' || a.contentType === 'message/rfc822-headers');
  const statusText = status ? decodeBytes(status.content, 'utf-8') : '';
  const originalText = original ? decodeBytes(original.content.subarray(0, 64 * 1024), 'utf-8') : '';
  const recipients = [...statusText.matchAll(/^Final-Recipient\s*:\s*[^;]*;\s*(\S+)/gim)].map((m) => (m[1] as string).toLowerCase());
  const midLine = /^Message-ID\s*:\s*(.+)$/im.exec(originalText)?.[1];
  return {
    originalMessageId: parseMessageIds(midLine)[0] ?? null,
    recipients,
    status: fieldValue(statusText, 'Status'),
    diagnostic: fieldValue(statusText, 'Diagnostic-Code')?.slice(0, 1000) ?? null,
    action: fieldValue(statusText, 'Action'),
  };
}

export async function parseEmail(raw: Uint8Array): Promise<ParsedEmail> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer', maxNestingDepth: 64, maxRfc822NestingDepth: 3 });
  const headers = new Map<string, string[]>();
  for (const h of email.headers) {
    const list = headers.get(h.key) ?? [];
    list.push(h.value);
    headers.set(h.key, list);
  }
  const rawSubject = headers.get('subject')?.[0];
  const subject = stripControls(rawSubject !== undefined ? decodeEncodedWords(rawSubject) : (email.subject ?? ''))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 998);
  const fromList = flatten(email.from);
  // use our decoder for display names too (postal-mime joins split base64 words wrongly)
  const rawFrom = headers.get('from')?.[0];
  const fromName = rawFrom ? /^\s*(.*?)\s*<[^>]*>\s*$/.exec(rawFrom)?.[1] : undefined;
  const from = fromList[0] ? { ...fromList[0], ...(fromName !== undefined ? { name: stripControls(decodeEncodedWords(fromName.replace(/^"|"$/g, ''))).trim().slice(0, 200) } : {}) } : null;

  const attachments: ParsedAttachment[] = email.attachments.map((a, i) => {
    const contentType = (a.mimeType || 'application/octet-stream').toLowerCase();
    const ext = EXT[contentType] ?? 'bin';
    return {
      filename: safeFilename(a.filename, `attachment-${i + 1}.${ext}`),
      contentType,
      content: toBytes(a.content),
      contentId: a.contentId ? normaliseMessageId(a.contentId) : null,
      isInline: Boolean(a.related) || (a.disposition === 'inline' && Boolean(a.contentId)),
    };
  });
  const contentType = (headers.get('content-type')?.[0] ?? 'text/plain').toLowerCase();
  const isReport = contentType.startsWith('multipart/report');
  let date: Date | null = null;
  if (email.date) {
    const d = new Date(email.date);
    date = Number.isNaN(d.getTime()) ? null : d;
  }
  return {
    messageId: parseMessageIds(email.messageId)[0] ?? null,
    inReplyTo: parseMessageIds(email.inReplyTo),
    references: parseMessageIds(email.references).slice(-50),
    subject,
    from,
    replyTo: flatten(email.replyTo),
    to: flatten(email.to),
    cc: flatten(email.cc),
    date,
    text: stripControls(fixC1(email.text ?? '')).replace(/\r\n/g, '\n'),
    html: email.html ? fixC1(email.html) : null,
    attachments,
    headers,
    contentType,
    bounce: isReport ? readBounce(attachments) : null,
  };
}
