import { escapeHtml } from './kb-escape.ts';

/**
 * A tiny safe-by-default HTML builder for the help centre: `html` is a tagged template that escapes every
 * interpolation, unless the value is itself SafeHtml (made by `html` or by `trustedHtml` for bodies that were
 * sanitised on the way into the database, and for our own search snippets).
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(part as string | number);
}

export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i] as Part) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Marks already-sanitised HTML (article bodies from the database, escaped snippets) as safe to embed. */
export function trustedHtml(sanitised: string): SafeHtml {
  return new SafeHtml(sanitised);
}
