import { createHmac, timingSafeEqual } from 'node:crypto';

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Seva's own scheme (API channel in and out, like the email hook): HMAC-SHA256 over "<timestamp>.<body>". */
export function sevaSignature(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** a signature older or newer than this is refused (replay protection) */
export const MAX_SKEW_SECONDS = 300;

export function verifySevaSignature(secret: string, timestamp: string | undefined, signature: string | undefined, body: Buffer, nowMs: number): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) return false;
  return safeEqual(sevaSignature(secret, timestamp, body), signature);
}

/**
 * Twilio: base64 HMAC-SHA1 (auth token) of the full URL followed by every POST parameter, sorted by name, as
 * name+value with no separators (https://www.twilio.com/docs/usage/security#validating-requests).
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** Meta (WhatsApp, Messenger, Instagram): X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(app secret, raw body). */
export function metaSignature(appSecret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}
