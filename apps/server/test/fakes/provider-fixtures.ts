import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the providers send and answer, as their documentation shows it: bodies from test/fixtures/channels with
 * {{placeholders}} filled in, and the signatures each provider puts on its webhooks.
 */

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'channels');

export function fixture(name: string, vars: Record<string, string | number | boolean> = {}): string {
  const text = readFileSync(path.join(FIXTURES, name), 'utf8');
  const isForm = name.endsWith('.form');
  return text.trim().replace(/\{\{(\w+)\}\}/g, (_m, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`fixture ${name} needs {{${k}}}`);
    if (typeof v !== 'string') return String(v);
    return isForm ? encodeURIComponent(v) : JSON.stringify(v).slice(1, -1);
  });
}

/** Signs like Twilio does (X-Twilio-Signature) — the fake provider's side of the webhook. */
export function twilioSign(authToken: string, url: string, form: string): string {
  const params = Object.fromEntries(new URLSearchParams(form));
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export function metaSign(appSecret: string, body: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

export function sevaSign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}
