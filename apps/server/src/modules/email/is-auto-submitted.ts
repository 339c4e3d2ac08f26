/**
 * RFC 3834 and friends: is this mail written by a machine? Such mail never gets an acknowledgement, and an
 * auto-reply never reopens a ticket. Bounces (DSN) are recorded on the message they answer, not made into tickets.
 */
export type AutoKind = 'auto_replied' | 'auto_generated' | 'bulk' | 'list' | 'bounce';

export interface AutoSubmittedInfo {
  kind: AutoKind | null;
  reasons: string[];
}

export interface AutoSubmittedInput {
  /** lower-case header name → values */
  headers: ReadonlyMap<string, string[]>;
  /** SMTP MAIL FROM ('' for the null sender <>) or null when unknown (hook, IMAP) */
  envelopeFrom: string | null;
  fromAddress: string;
  /** lower-case Content-Type of the top part, with parameters */
  contentType: string;
}

const first = (h: ReadonlyMap<string, string[]>, key: string): string | undefined => h.get(key)?.[0]?.trim();

const MACHINE_LOCAL_PARTS = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)$/i;

export function isAutoSubmitted(input: AutoSubmittedInput): AutoSubmittedInfo {
  const { headers } = input;
  const reasons: string[] = [];
  let kind: AutoKind | null = null;
  const set = (k: AutoKind, reason: string) => {
    reasons.push(reason);
    // a bounce outranks everything; otherwise the first finding stays
    if (kind === null || k === 'bounce') kind = k;
  };

  const ct = input.contentType.toLowerCase();
  if (ct.startsWith('multipart/report') && /report-type\s*=\s*"?delivery-status/.test(ct)) set('bounce', 'content-type: multipart/report delivery-status');
  if (headers.has('x-failed-recipients')) set('bounce', 'x-failed-recipients');
  const local = input.fromAddress.split('@')[0] ?? '';
  if (MACHINE_LOCAL_PARTS.test(local)) set('bounce', `from: ${local}`);
  if (input.envelopeFrom === '') reasons.push('null envelope sender');

  const autoSubmitted = first(headers, 'auto-submitted')?.toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) {
    set(autoSubmitted.startsWith('auto-replied') ? 'auto_replied' : 'auto_generated', `auto-submitted: ${autoSubmitted}`);
  }
  const precedence = first(headers, 'precedence')?.toLowerCase();
  if (precedence && ['bulk', 'list', 'junk', 'auto_reply'].includes(precedence)) {
    set(precedence === 'list' ? 'list' : precedence === 'auto_reply' ? 'auto_replied' : 'bulk', `precedence: ${precedence}`);
  }
  for (const h of ['list-id', 'list-unsubscribe', 'list-post']) if (headers.has(h)) set('list', h);
  const suppress = first(headers, 'x-auto-response-suppress')?.toLowerCase();
  if (suppress && /(all|oof|autoreply)/.test(suppress)) set('auto_generated', `x-auto-response-suppress: ${suppress}`);
  for (const h of ['x-autoreply', 'x-autorespond', 'x-auto-reply', 'x-autoresponder']) if (headers.has(h)) set('auto_replied', h);
  if (first(headers, 'x-precedence')?.toLowerCase() === 'bulk') set('bulk', 'x-precedence: bulk');
  if (headers.has('feedback-id') || headers.has('x-campaign') || headers.has('x-mailchimp-campaign')) set('bulk', 'campaign header');
  // a null envelope sender means a notification (RFC 5321 §4.5.5): never answer it
  if (input.envelopeFrom === '' && kind === null) kind = 'auto_generated';
  return { kind, reasons };
}

/** Mail we must never answer automatically. */
export function mayAutoReply(info: AutoSubmittedInfo): boolean {
  return info.kind === null;
}
