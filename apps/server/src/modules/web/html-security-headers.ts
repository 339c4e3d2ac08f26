import type { FastifyReply } from 'fastify';

/**
 * Headers for every HTML page Seva serves. The agent app loads only its own scripts; Mantine injects styles at
 * runtime, hence 'unsafe-inline' for styles only. Customer HTML is shown in sandboxed blob: frames.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** Adds the HTML security headers to a reply (other modules serving HTML may reuse this). */
export function applyHtmlSecurityHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) reply.header(name, value);
}

export function isHtmlReply(reply: FastifyReply): boolean {
  const type = reply.getHeader('content-type');
  return typeof type === 'string' && type.toLowerCase().startsWith('text/html');
}
