/**
 * Cross-site WebSocket hijacking guard. Browsers always send `Origin` on a WebSocket upgrade and attach cookies
 * regardless of it, so a page on another site could otherwise open a socket with the victim's session. An upgrade
 * from a browser is accepted only when its Origin is this server (the Host it dialled, or the forwarded host set by
 * a proxy) or the configured public URL. Clients without an Origin (scripts, servers) authenticate by token anyway.
 */
export interface OriginCheck {
  origin: string | undefined;
  host: string | undefined;
  forwardedHost?: string | undefined;
  publicUrl?: string | undefined;
}

export function isAllowedOrigin(check: OriginCheck): boolean {
  if (check.origin === undefined) return true;
  let origin: URL;
  try {
    origin = new URL(check.origin);
  } catch {
    return false; // includes the opaque origin "null" (sandboxed frames, file:)
  }
  if (origin.protocol !== 'http:' && origin.protocol !== 'https:') return false;
  if (check.publicUrl) {
    try {
      if (new URL(check.publicUrl).origin === origin.origin) return true;
    } catch {
      // an invalid public URL is rejected by config validation; nothing to match here
    }
  }
  const hosts = [check.host, check.forwardedHost].filter((h): h is string => typeof h === 'string' && h.length > 0);
  return hosts.some((h) => sameHost(origin, h));
}

function sameHost(origin: URL, hostHeader: string): boolean {
  let dialled: URL;
  try {
    dialled = new URL(`${origin.protocol}//${hostHeader.trim()}`);
  } catch {
    return false;
  }
  // URL normalises default ports away on both sides, so "example.com:443" matches "https://example.com"
  return dialled.host.toLowerCase() === origin.host.toLowerCase();
}
