import type { ImapFlowOptions } from 'imapflow';

export type ImapSecurityMode = 'tls' | 'starttls' | 'plain';

export interface ImapEndpoint {
  host: string;
  port: number | null;
  user: string;
  password: string;
  /** tls: implicit TLS; starttls: STARTTLS required; plain: no TLS (only when the admin chose it) */
  security: ImapSecurityMode;
  maxMessageBytes: number;
}

export function imapSecurityMode(value: string): ImapSecurityMode {
  return value === 'starttls' || value === 'plain' ? value : 'tls';
}

/**
 * imapflow options for one mailbox. Certificates are always verified (`rejectUnauthorized: true`, the host name
 * checked against the certificate); STARTTLS is required rather than opportunistic when chosen, and plain text only
 * when the mailbox says `plain`. No logger: imapflow's debug log would carry the LOGIN line.
 */
export function imapClientOptions(e: ImapEndpoint): ImapFlowOptions {
  const secure = e.security === 'tls';
  return {
    host: e.host,
    port: e.port ?? (secure ? 993 : 143),
    secure,
    doSTARTTLS: e.security === 'starttls' ? true : e.security === 'plain' ? false : undefined,
    servername: e.host,
    tls: { rejectUnauthorized: true, servername: e.host, minVersion: 'TLSv1.2' },
    auth: { user: e.user, pass: e.password },
    logger: false,
    disableAutoIdle: true,
    // IDLE is restarted every few minutes so a silently dropped connection is noticed
    maxIdleTime: 4 * 60_000,
    missingIdleCommand: 'NOOP',
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 5 * 60_000,
    // nothing larger than a message we would accept is ever buffered from the server
    maxLiteralSize: e.maxMessageBytes + 64 * 1024,
    maxResponseSize: e.maxMessageBytes + 1024 * 1024,
    clientInfo: { name: 'Seva' },
  };
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** A message for the admin screen and the log — never the password, even if a server echoes it back. */
export function describeImapError(err: unknown, secrets: string[]): string {
  const e = err as {
    message?: string;
    code?: string;
    responseText?: string;
    authenticationFailed?: boolean;
    serverResponseCode?: string;
  };
  let text: string;
  if (e?.authenticationFailed) text = `login refused${e.responseText ? `: ${e.responseText}` : ''}`;
  else if (e?.code && TLS_CODES.has(e.code)) text = `TLS certificate refused (${e.code}): ${e.message ?? ''}`;
  else if (e?.code && /^E[A-Z]+$/.test(e.code)) text = `connection failed (${e.code}): ${e.message ?? ''}`;
  else
    text = [e?.message ?? String(err), e?.responseText && e.responseText !== e.message ? e.responseText : null]
      .filter(Boolean)
      .join(': ');
  for (const s of secrets) if (s.length >= 3) text = text.split(s).join('***');
  return text.slice(0, 1000);
}
