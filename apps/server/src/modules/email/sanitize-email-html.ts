import sanitizeHtml from 'sanitize-html';

/**
 * Inbound HTML is made inert on the server before it is stored: no scripts, no event handlers, no javascript:
 * or vbscript: URLs, no forms, frames, objects or <style> blocks; a few harmless inline styles survive so the
 * mail still looks like itself. `cid:` images are rewritten to our attachment URLs. The web app still shows the
 * result in a sandboxed frame with a strict CSP (defence in depth).
 */
const ALLOWED_STYLES: Record<string, RegExp[]> = {
  color: [/^#[0-9a-f]{3,8}$/i, /^rgba?\([\d\s.,%]+\)$/i, /^[a-z]{3,20}$/i],
  'background-color': [/^#[0-9a-f]{3,8}$/i, /^rgba?\([\d\s.,%]+\)$/i, /^[a-z]{3,20}$/i],
  'text-align': [/^(left|right|center|justify|start|end)$/],
  'font-weight': [/^(normal|bold|bolder|lighter|\d{3})$/],
  'font-style': [/^(normal|italic|oblique)$/],
  'text-decoration': [/^(none|underline|line-through|overline)$/],
  'font-size': [/^\d{1,3}(\.\d+)?(px|pt|em|rem|%)$/],
  'font-family': [/^[\w\s,"'-]{1,100}$/],
  'padding': [/^[\d\s.pxem%]{1,40}$/],
  'margin': [/^[\d\s.pxem%-]{1,40}$/],
  width: [/^\d{1,4}(px|%)?$/],
  'border': [/^[\w\s#.()%,-]{1,60}$/],
};

export interface SanitizeOptions {
  /** content-id (without <>) → URL of the stored attachment */
  inlineImages?: ReadonlyMap<string, string>;
}

export function sanitizeEmailHtml(html: string, opts: SanitizeOptions = {}): string {
  const inline = opts.inlineImages ?? new Map<string, string>();
  return sanitizeHtml(html, {
    allowedTags: [
      'a', 'abbr', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'center', 'code', 'col', 'colgroup', 'dd', 'del',
      'div', 'dl', 'dt', 'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark',
      'ol', 'p', 'pre', 'q', 's', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot',
      'th', 'thead', 'tr', 'tt', 'u', 'ul',
    ],
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'iframe', 'object', 'svg', 'math'],
    allowedAttributes: {
      a: ['href', 'title', 'name', 'target', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan', 'align', 'valign', 'width'],
      th: ['colspan', 'rowspan', 'align', 'valign', 'width'],
      table: ['width', 'cellpadding', 'cellspacing', 'border', 'align'],
      font: ['color', 'size', 'face'],
      blockquote: ['type', 'cite'],
      '*': ['style', 'dir', 'lang', 'align'],
    },
    allowedStyles: { '*': ALLOWED_STYLES },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'data', 'cid'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' } }),
      img: (tagName, attribs) => {
        const src = attribs.src ?? '';
        if (/^cid:/i.test(src)) {
          const url = inline.get(src.slice(4).replace(/^<|>$/g, ''));
          const next = { ...attribs };
          if (url) next.src = url;
          else delete next.src;
          return { tagName, attribs: next };
        }
        if (/^data:/i.test(src) && !/^data:image\/(png|jpe?g|gif|webp);/i.test(src)) {
          const next = { ...attribs };
          delete next.src;
          return { tagName, attribs: next };
        }
        return { tagName, attribs };
      },
    },
  } as sanitizeHtml.IOptions);
}

/** The reply above quoted history and the signature, for a compact view; the full text stays on the message. */
export function stripQuotedText(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const next = lines[i + 1] ?? '';
    if (/^-- ?$/.test(line)) break; // signature separator
    if (/^-{2,}\s*(Original Message|Forwarded message|মূল বার্তা|मूल संदेश)/i.test(line)) break;
    if (/^(On|Le|Am|El)\s.+\s(wrote|écrit|schrieb|escribió):\s*$/i.test(line)) break;
    if (/^On\s.+/.test(line) && /wrote:\s*$/.test(next)) break;
    if (/^From:\s.+/i.test(line) && /^(Sent|Date):\s/i.test(next)) break;
    if (/^>/.test(line)) {
      if (lines.slice(i).every((l) => /^>/.test(l) || l.trim() === '')) break;
    }
    out.push(line);
  }
  return out.join('\n').trim();
}
