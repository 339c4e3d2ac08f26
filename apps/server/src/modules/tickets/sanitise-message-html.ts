import sanitizeHtml from 'sanitize-html';

/**
 * Message HTML is sanitised on the server before it is stored: a small allow-list of formatting tags, no scripts,
 * styles, frames, forms or event handlers, links only to http(s)/mailto/tel and always opened in a new tab with
 * rel="noopener noreferrer nofollow", images only from https or cid: (inline attachments).
 */
const ABSOLUTE_LINK = /^(https?:\/\/|mailto:|tel:)/i;
const ABSOLUTE_IMAGE = /^(https:\/\/|cid:)/i;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'a',
    'abbr',
    'b',
    'blockquote',
    'br',
    'caption',
    'code',
    'dd',
    'del',
    'div',
    'dl',
    'dt',
    'em',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'i',
    'img',
    'ins',
    'kbd',
    'li',
    'mark',
    'ol',
    'p',
    'pre',
    'q',
    's',
    'small',
    'span',
    'strong',
    'sub',
    'sup',
    'table',
    'tbody',
    'td',
    'tfoot',
    'th',
    'thead',
    'tr',
    'u',
    'ul',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan', 'scope'],
    ol: ['start'],
    '*': ['dir', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['https', 'cid'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'iframe', 'object'],
  transformTags: {
    a: (tagName, attribs) => {
      const { href, ...rest } = attribs;
      // relative links would point into the app itself: keep only absolute, allowed ones
      const keep = href !== undefined && ABSOLUTE_LINK.test(href.trim());
      return {
        tagName,
        attribs: { ...rest, ...(keep ? { href } : {}), target: '_blank', rel: 'noopener noreferrer nofollow' },
      };
    },
  },
  // images need an absolute https: or cid: source; relative ones would load from the app's own origin
  exclusiveFilter: (frame) => frame.tag === 'img' && !ABSOLUTE_IMAGE.test((frame.attribs.src ?? '').trim()),
};

export function sanitiseMessageHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

const BLOCK_END = /<\/(p|div|li|h[1-6]|tr|blockquote|pre|table|ul|ol|dl|dt|dd)>/gi;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Plain text of (sanitised) HTML: line breaks at block ends and <br>, entities decoded, blank runs collapsed. */
export function htmlToText(html: string): string {
  const withBreaks = sanitiseMessageHtml(html)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/t[dh]>/gi, '\t')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(BLOCK_END, '\n');
  const stripped = sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {} });
  return stripped
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/gi, (whole, name: string) => {
      const lower = name.toLowerCase();
      if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
      if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
      return ENTITIES[lower] ?? whole;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
