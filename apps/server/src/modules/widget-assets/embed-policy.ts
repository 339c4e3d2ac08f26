/**
 * Which pages may embed a widget's frame, as a Content-Security-Policy. Only well-formed origins make it into the
 * header (anything else in the table is ignored rather than allowed to inject policy text).
 */
const ORIGIN_RE = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/;

/** `https://Shop.Example:443/` → `https://shop.example`; not an origin: null. */
export function normaliseOrigin(raw: string): string | null {
  const trimmed = raw.trim().toLowerCase().replace(/\/+$/, '');
  if (!ORIGIN_RE.test(trimmed)) return null;
  try {
    const u = new URL(trimmed);
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

export function embedOrigins(allowed: readonly string[]): string[] {
  const out = new Set<string>();
  for (const o of allowed) {
    const n = normaliseOrigin(o);
    if (n) out.add(n);
  }
  return [...out];
}

/** The frame's CSP: its own scripts and styles only, talks to Seva only, embeddable by Seva and the allowed sites. */
export function frameContentSecurityPolicy(allowed: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // https: for images in help articles opened in the widget (article bodies allow https images only)
    "img-src 'self' blob: data: https:",
    "font-src 'self'",
    "connect-src 'self' ws: wss:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${["'self'", ...embedOrigins(allowed)].join(' ')}`,
  ].join('; ');
}

/** Whether a cross-origin request comes from a page that may embed this widget (or from Seva itself). */
export function mayEmbed(origin: string | undefined, allowed: readonly string[], ownOrigins: readonly string[]): boolean {
  if (!origin) return false;
  const n = normaliseOrigin(origin);
  if (!n) return false;
  return ownOrigins.includes(n) || embedOrigins(allowed).includes(n);
}
