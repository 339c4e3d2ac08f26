/**
 * Search snippets arrive as escaped HTML with matches wrapped in <mark>…</mark>. Before the app puts one into the
 * page it goes through this allow-list of exactly two things: text and <mark>. Every other `<` or `>` becomes text,
 * an `&` survives only as a well-formed character reference, and the <mark> tags are balanced. The output can
 * therefore contain no element but <mark> and no attribute at all, whatever the server sent.
 */
const ENTITY = /^&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});/;
const MARK_OPEN = /^<mark>/i;
const MARK_CLOSE = /^<\/mark>/i;

export function sanitizeSnippet(input: string): string {
  let out = '';
  let open = 0;
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    const rest = input.slice(i, i + 40);
    if (ch === '<') {
      if (MARK_OPEN.test(rest)) {
        if (open === 0) {
          out += '<mark>';
          open = 1;
        }
        i += 6;
        continue;
      }
      if (MARK_CLOSE.test(rest)) {
        if (open === 1) {
          out += '</mark>';
          open = 0;
        }
        i += 7;
        continue;
      }
      out += '&lt;';
    } else if (ch === '>') {
      out += '&gt;';
    } else if (ch === '&') {
      const m = ENTITY.exec(rest);
      if (m) {
        out += m[0];
        i += m[0].length;
        continue;
      }
      out += '&amp;';
    } else if (ch === '"') {
      out += '&quot;';
    } else if (ch === "'") {
      out += '&#39;';
    } else {
      out += ch;
    }
    i += 1;
  }
  if (open) out += '</mark>';
  return out;
}
