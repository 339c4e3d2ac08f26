import { createHash } from 'node:crypto';
import { normaliseMessageId } from './parse-email.ts';

/**
 * Identity of a raw message for deduplication: the same mail delivered twice (by two MX hops, a retry after a
 * lost 250, IMAP and SMTP both) differs only in trace headers, so those are left out of the content hash.
 */
const TRACE_HEADERS = new Set([
  'received', 'return-path', 'delivered-to', 'x-original-to', 'x-envelope-from', 'x-envelope-to', 'authentication-results',
  'arc-seal', 'arc-message-signature', 'arc-authentication-results', 'received-spf', 'x-received', 'x-spam-status',
  'x-spam-score', 'x-spam-flag', 'x-spam-level', 'x-spam-checker-version', 'x-virus-scanned', 'x-forwarded-to',
  'x-forwarded-for', 'x-gm-message-state', 'x-google-smtp-source', 'x-seva-received',
]);

export interface RawIdentity {
  sha256: string;
  contentHash: string;
  /** without <>, '' when the mail has none */
  messageIdHeader: string;
}

function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return raw.length;
  if (crlf === -1) return lf;
  if (lf === -1) return crlf;
  return Math.min(crlf, lf);
}

export function identifyRawEmail(raw: Buffer): RawIdentity {
  const end = headerEnd(raw);
  const headerText = raw.subarray(0, Math.min(end, 512 * 1024)).toString('latin1');
  const fields: string[] = [];
  for (const line of headerText.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += `\n${line}`;
    else fields.push(line);
  }
  const kept = fields.filter((f) => {
    const name = f.slice(0, f.indexOf(':')).trim().toLowerCase();
    return !TRACE_HEADERS.has(name);
  });
  const midField = fields.find((f) => /^message-id\s*:/i.test(f));
  const midMatch = midField ? /<([^<>\s]+)>/.exec(midField) ?? /:\s*(\S+@\S+)/.exec(midField) : null;
  const h = createHash('sha256');
  h.update(kept.join('\n'));
  h.update('\n\n');
  h.update(raw.subarray(end).toString('latin1').replace(/\r\n/g, '\n').replace(/\s+$/, ''), 'latin1');
  return {
    sha256: createHash('sha256').update(raw).digest('hex'),
    contentHash: h.digest('hex'),
    messageIdHeader: midMatch?.[1] ? normaliseMessageId(midMatch[1]) : '',
  };
}
