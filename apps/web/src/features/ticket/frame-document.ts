/**
 * The document placed in a message's sandboxed frame. The CSP forbids every fetch (no remote images, fonts,
 * styles or frames; data: images only) so opening a message never tells a sender it was read.
 */
const FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; form-action 'none'; base-uri 'none'";

const FRAME_STYLE =
  'html,body{margin:0;padding:0}body{font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans Bengali","Noto Sans Devanagari",sans-serif;color:#212529;overflow-wrap:anywhere}' +
  'img{max-width:100%;height:auto}pre{white-space:pre-wrap}blockquote{margin:0 0 0 .5em;padding-left:.75em;border-left:3px solid #dee2e6;color:#495057}table{max-width:100%}p{margin:0 0 .6em}';

export function buildFrameDocument(html: string): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}">` +
    `<meta name="referrer" content="no-referrer"><style>${FRAME_STYLE}</style></head><body>` +
    html +
    '</body></html>'
  );
}

/** The frame cannot be measured from outside (opaque origin), so size it from the content; the agent can drag it taller. */
export function estimateFrameHeight(html: string, text: string, width = 90): number {
  const lines = (text || html.replace(/<[^>]*>/g, '\n'))
    .split('\n')
    .reduce((n, line) => n + Math.max(1, Math.ceil(line.length / width)), 0);
  const blocks = (html.match(/<(p|div|br|li|tr|h[1-6]|blockquote)\b/gi) ?? []).length;
  // remote images are blocked by the CSP (a small broken icon); only inline data: images take real space
  const images = (html.match(/<img\b[^>]*\bsrc\s*=\s*["']?data:/gi) ?? []).length;
  const blocked = (html.match(/<img\b/gi) ?? []).length - images;
  const px = Math.max(lines, blocks) * 21 + images * 160 + blocked * 20 + 16;
  return Math.min(Math.max(px, 40), 640);
}
