import { escapeHtml } from '../web/spa-routing.ts';
import { embedOrigins } from './embed-policy.ts';
import { PAGE_LANGUAGES, PAGE_STRINGS, type PageLanguage } from './widget-pages-i18n.ts';

const LANGUAGE_NAMES: Record<PageLanguage, string> = { en: 'English', bn: 'বাংলা', hi: 'हिन्दी' };

/** The frame's HTML: no inline script; the widget key and allowed origins ride in data attributes (escaped). */
export function renderFramePage(opts: { key: string; allowedOrigins: readonly string[]; language: PageLanguage; script: string; styles: readonly string[] }): string {
  const styles = opts.styles.map((f) => `<link rel="stylesheet" href="/widget/assets/${escapeHtml(f)}">\n`).join('');
  return `<!doctype html>
<html lang="${opts.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Seva</title>
${styles}<script type="module" src="/widget/assets/${escapeHtml(opts.script)}"></script>
</head>
<body>
<div id="seva-widget" data-key="${escapeHtml(opts.key)}" data-allowed-origins="${escapeHtml(JSON.stringify(embedOrigins(opts.allowedOrigins)))}"></div>
</body>
</html>
`;
}

/** A plain message page for a frame that cannot be shown (no scripts). */
export function renderFrameMessage(language: PageLanguage, message: keyof typeof PAGE_STRINGS.en): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Seva</title></head>
<body><p>${escapeHtml(PAGE_STRINGS[language][message])}</p></body></html>
`;
}

export interface DemoPageOptions {
  language: PageLanguage;
  /** where Seva is reached (for the snippet) */
  origin: string;
  widget: { key: string; name: string } | null;
  /** a ?key= was given but names no active widget */
  unknownKey: boolean;
  /** the language the visitor picked with ?lang= (passed on to the widget) */
  widgetLanguage: PageLanguage | null;
}

/** /widget-demo: the snippet of a widget, embedded for real, or how to create one. */
export function renderDemoPage(opts: DemoPageOptions): string {
  const s = PAGE_STRINGS[opts.language];
  const langLinks = PAGE_LANGUAGES.map((l) => {
    const q = new URLSearchParams({ lang: l });
    if (opts.widget) q.set('key', opts.widget.key);
    const name = LANGUAGE_NAMES[l];
    return l === opts.language ? `<strong>${escapeHtml(name)}</strong>` : `<a href="/widget-demo?${escapeHtml(q.toString())}">${escapeHtml(name)}</a>`;
  }).join(' · ');
  let main: string;
  if (!opts.widget) {
    main = `<p class="notice" data-testid="demo-no-widget">${escapeHtml(opts.unknownKey ? s.demoUnknownKey : s.demoNoWidget)}</p>`;
  } else {
    const snippet = `<script src="${opts.origin}/widget.js" data-seva-key="${opts.widget.key}" async></script>`;
    const langAttr = opts.widgetLanguage ? ` data-seva-language="${opts.widgetLanguage}"` : '';
    main = `<p>${escapeHtml(s.demoIntro.replace('{name}', opts.widget.name))}</p>
<p>${escapeHtml(s.demoSnippet)}</p>
<pre><code data-testid="demo-snippet">${escapeHtml(snippet)}</code></pre>
<script src="/widget.js" data-seva-key="${escapeHtml(opts.widget.key)}"${langAttr} async></script>`;
  }
  return `<!doctype html>
<html lang="${opts.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(s.demoTitle)}</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1c2128}pre{background:#f6f8fa;padding:12px;overflow:auto;white-space:pre-wrap;word-break:break-all}.notice{padding:12px;border:1px solid #d0d7de;border-radius:8px}</style>
</head>
<body>
<nav aria-label="${escapeHtml(s.demoLanguage)}">${langLinks}</nav>
<h1>${escapeHtml(s.demoTitle)}</h1>
${main}
</body>
</html>
`;
}

export const DEMO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
