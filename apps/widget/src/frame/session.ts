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

function writeToken(widgetKey: string, token: string | null): void {
  try {
    if (token) localStorage.setItem(tokenKey(widgetKey), token);
    else localStorage.removeItem(tokenKey(widgetKey));
  } catch {
    // storage blocked: the visitor lasts as long as the frame
  }
}

export interface StartSessionOptions {
  widgetKey: string;
  locale: string;
  page: WidgetPage;
  identity: WidgetIdentity | null;
}

/** Resumes the visitor this browser was (or starts a new one when the token is unknown or expired). */
export async function startSession(api: WidgetApi, opts: StartSessionOptions): Promise<WidgetVisitor> {
  const stored = readToken(opts.widgetKey);
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
  writeToken(opts.widgetKey, visitor.visitorToken);
  api.token = visitor.visitorToken;
  return visitor;
}

export function forgetSession(widgetKey: string): void {
  writeToken(widgetKey, null);
}
