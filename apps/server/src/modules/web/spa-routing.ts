/** Paths that belong to the server, never to the single-page app: unknown ones there are real 404s. */
export const RESERVED_PREFIXES = [
  '/api',
  '/health',
  '/metrics',
  '/assets',
  '/widget',
  '/widget.js',
  '/widget-demo',
  '/help',
  '/hooks',
  '/portal',
] as const;

export function isReservedPath(pathname: string): boolean {
  return RESERVED_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`) || pathname.startsWith(`${p}?`));
}

/** A browser navigation asks for HTML explicitly; fetch() and API clients do not. */
export function acceptsHtml(accept: string | undefined): boolean {
  return typeof accept === 'string' && /(^|,)\s*text\/html\s*(;|,|$)/i.test(accept);
}

/** A file directly under dist (favicon.ico, robots.txt, manifest.webmanifest …): one safe path segment. */
export function topLevelFileName(pathname: string): string | null {
  const m = /^\/([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(pathname);
  const name = m?.[1];
  if (!name || name === 'index.html' || name.includes('..')) return null;
  return name;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Shown instead of the app when apps/web/dist is missing: plain HTML, no scripts, nothing from the request. */
export function notBuiltPage(): string {
  const title = escapeHtml('Seva — the web app is not built yet');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">
<h1>${title}</h1>
<p>${escapeHtml('The server is running, but the agent web app has not been built. Run')} <code>${escapeHtml('npm run build')}</code>
${escapeHtml('(or start Seva with')} <code>${escapeHtml('npm start')}</code>${escapeHtml(', which builds it) and reload this page.')}</p>
<p>${escapeHtml('The API is available under /api/v1 (OpenAPI at /api/v1/openapi.json) and health at /health.')}</p>
</body>
</html>
`;
}
