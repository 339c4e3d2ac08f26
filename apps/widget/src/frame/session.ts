import type { WidgetIdentity, WidgetPage, WidgetVisitor } from '@seva/contracts';
import { type WidgetApi, WidgetApiError } from './api.ts';

/** The visitor token lives in the frame's own storage (Seva's origin), so history follows the visitor across pages. */
const tokenKey = (widgetKey: string) => `seva:visitor:${widgetKey}`;

function readToken(widgetKey: string): string | null {
  try {
    return localStorage.getItem(tokenKey(widgetKey));
  } catch {
    return null;
  }
}

/** false when the browser blocks this (third-party) frame's storage */
function writeToken(widgetKey: string, token: string | null): boolean {
  try {
    if (token) localStorage.setItem(tokenKey(widgetKey), token);
    else localStorage.removeItem(tokenKey(widgetKey));
    return true;
  } catch {
    return false;
  }
}

export interface StartSessionOptions {
  widgetKey: string;
  locale: string;
  page: WidgetPage;
  identity: WidgetIdentity | null;
  /** the token the loader kept in the site's storage (used when this frame's own storage is blocked) */
  hostToken: string | null;
}

export interface Session {
  visitor: WidgetVisitor;
  /** false: the browser blocks the frame's storage, the loader must keep the token */
  storedInFrame: boolean;
}

/** Resumes the visitor this browser was (or starts a new one when the token is unknown or expired). */
export async function startSession(api: WidgetApi, opts: StartSessionOptions): Promise<Session> {
  const stored = readToken(opts.widgetKey) ?? opts.hostToken;
  const body = {
    key: opts.widgetKey,
    locale: opts.locale,
    page: opts.page,
    ...(opts.identity ? { identity: opts.identity } : {}),
  };
  let visitor: WidgetVisitor;
  try {
    visitor = await api.startVisitor(stored ? { ...body, visitorToken: stored } : body);
  } catch (err) {
    if (!stored || !(err instanceof WidgetApiError) || err.status >= 500) throw err;
    writeToken(opts.widgetKey, null);
    visitor = await api.startVisitor(body);
  }
  const storedInFrame = writeToken(opts.widgetKey, visitor.visitorToken);
  api.token = visitor.visitorToken;
  return { visitor, storedInFrame };
}

export function forgetSession(widgetKey: string): void {
  writeToken(widgetKey, null);
}
