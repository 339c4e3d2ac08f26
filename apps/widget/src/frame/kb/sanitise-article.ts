/**
 * Article bodies are sanitised on the server (sanitize-html, docs/kb.md) and the frame's CSP runs no inline script.
 * As a third wall, the widget copies the body into its page through an allow-list: the HTML is parsed into an inert
 * document (DOMParser runs no scripts and loads nothing), and only known elements and attributes are re-created.
 * Unknown elements are unwrapped (their text kept); dangerous ones are dropped with their content.
 */
const ELEMENTS = new Set([
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'del',
  'ins',
  'sub',
  'sup',
  'small',
  'mark',
  'kbd',
  'code',
  'pre',
  'blockquote',
  'a',
  'img',
  'figure',
  'figcaption',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'details',
  'summary',
  'span',
  'div',
]);
const DROPPED = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'object',
  'embed',
  'template',
  'noscript',
  'svg',
  'math',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'link',
  'meta',
  'base',
  'video',
  'audio',
  'source',
  'track',
  'canvas',
]);
const ATTRIBUTES: Record<string, readonly string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  th: ['colspan', 'rowspan', 'scope'],
  td: ['colspan', 'rowspan'],
  ol: ['start'],
  code: ['class'],
};

function allowed(tag: string, name: string, value: string): boolean {
  const v = value.trim();
  if (name === 'href') return /^(https?:|mailto:|tel:|\/(?!\/)|#)/i.test(v);
  if (name === 'src') return /^(https:|\/(?!\/))/i.test(v);
  if (name === 'class') return tag === 'code' && /^language-[\w-]{1,40}$/.test(v);
  if (name === 'width' || name === 'height' || name === 'colspan' || name === 'rowspan' || name === 'start')
    return /^\d{1,4}$/.test(v);
  return true;
}

export function sanitiseArticle(html: string, into: Document): DocumentFragment {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const out = into.createDocumentFragment();
  const copy = (from: Node, to: Node) => {
    for (const child of Array.from(from.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.appendChild(into.createTextNode(child.textContent ?? ''));
        continue;
      }
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      const el = child as Element;
      const tag = el.localName;
      if (DROPPED.has(tag) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') continue;
      if (!ELEMENTS.has(tag)) {
        copy(el, to);
        continue;
      }
      const clean = into.createElement(tag);
      for (const name of ATTRIBUTES[tag] ?? []) {
        const value = el.getAttribute(name);
        if (value !== null && allowed(tag, name, value)) clean.setAttribute(name, value);
      }
      if (tag === 'a') {
        clean.setAttribute('target', '_blank');
        clean.setAttribute('rel', 'noopener noreferrer');
      }
      if (tag === 'img') {
        clean.setAttribute('loading', 'lazy');
        clean.setAttribute('referrerpolicy', 'no-referrer');
      }
      copy(el, clean);
      to.appendChild(clean);
    }
  };
  copy(parsed.body, out);
  return out;
}
