/**
 * A search snippet from the server is HTML-escaped text in which only <mark>…</mark> is markup. It is never put into
 * the page as HTML: it is split into text parts (entities decoded) and rendered as text nodes and <mark> elements.
 */
export interface SnippetPart {
  text: string;
  mark: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`' };

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#96);/g, (_all, name: string) => ENTITIES[name] ?? '');
}

export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let mark = false;
  for (const piece of snippet.split(/(<\/?mark>)/)) {
    if (piece === '<mark>') mark = true;
    else if (piece === '</mark>') mark = false;
    else if (piece !== '') parts.push({ text: decode(piece), mark });
  }
  return parts;
}
