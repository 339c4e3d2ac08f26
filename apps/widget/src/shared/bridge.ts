/**
 * Messages between the loader (on the host page) and the widget frame (on Seva's origin). Both sides check
 * `event.origin` and `event.source` on every message and post only to the other side's exact origin, never '*'.
 */
export interface BridgePage {
  url?: string;
  title?: string;
  referrer?: string;
}

export interface BridgeIdentity {
  userId: string;
  email?: string;
  name?: string;
  signature: string;
}

/** loader → frame */
export type HostToFrame =
  | {
      type: 'seva:init';
      page: BridgePage;
      identity: BridgeIdentity | null;
      language: string | null;
      open: boolean;
      /** the visitor token the loader keeps for a frame whose own storage the browser blocks (third-party) */
      visitorToken: string | null;
    }
  | { type: 'seva:page'; page: BridgePage }
  | { type: 'seva:visibility'; open: boolean };

/** frame → loader */
export type FrameToHost =
  | { type: 'seva:ready' }
  | { type: 'seva:close' }
  /** the visitor has a conversation that is not over: the loader creates the frame at once on the next page */
  | { type: 'seva:ongoing'; ongoing: boolean }
  | { type: 'seva:unread'; count: number }
  /** the browser blocks the frame's storage: the loader keeps the visitor token in the site's storage instead */
  | { type: 'seva:visitor'; token: string | null };

const HOST_TYPES = new Set(['seva:init', 'seva:page', 'seva:visibility']);
const FRAME_TYPES = new Set(['seva:ready', 'seva:close', 'seva:ongoing', 'seva:unread', 'seva:visitor']);

function typeOf(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const t = (data as { type?: unknown }).type;
  return typeof t === 'string' ? t : null;
}

export function isHostToFrame(data: unknown): data is HostToFrame {
  const t = typeOf(data);
  return t !== null && HOST_TYPES.has(t);
}

export function isFrameToHost(data: unknown): data is FrameToHost {
  const t = typeOf(data);
  return t !== null && FRAME_TYPES.has(t);
}

/** Keeps page details within the sizes the server accepts. */
export function clipPage(page: BridgePage): BridgePage {
  const clip = (s: unknown, n: number) => (typeof s === 'string' && s !== '' ? s.slice(0, n) : undefined);
  const out: BridgePage = {};
  const url = clip(page.url, 2000);
  const title = clip(page.title, 500);
  const referrer = clip(page.referrer, 2000);
  if (url) out.url = url;
  if (title) out.title = title;
  if (referrer) out.referrer = referrer;
  return out;
}
