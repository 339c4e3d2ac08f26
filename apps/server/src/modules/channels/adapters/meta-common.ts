import type { ChannelRow, HookRequest, PlainCredentials } from './adapter.ts';
import { header } from './adapter.ts';
import { metaSignature, safeEqual } from './signatures.ts';

export const GRAPH_API = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_VERSION = 'v21.0';

export function graphBase(channel: ChannelRow): string {
  const base = (channel.settings.apiBaseUrl ?? GRAPH_API).replace(/\/$/, '');
  return `${base}/${channel.settings.graphVersion ?? DEFAULT_GRAPH_VERSION}`;
}

/** X-Hub-Signature-256 over the raw body with the app secret. */
export function verifyMetaSignature(req: HookRequest, creds: PlainCredentials): boolean {
  const sig = header(req.headers, 'x-hub-signature-256');
  if (!sig || !creds.appSecret) return false;
  return safeEqual(metaSignature(creds.appSecret, req.rawBody), sig);
}

export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  try {
    const v = JSON.parse(raw.toString('utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function graphError(body: Record<string, unknown>): string {
  const e = body.error as { message?: string; code?: number; error_subcode?: number } | undefined;
  if (!e) return 'unknown error';
  return `(#${e.code ?? '?'}) ${e.message ?? ''}`.trim();
}

export function asArray(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Record<string, unknown>[]) : [];
}

export function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export const HOUR_MS = 3600_000;
