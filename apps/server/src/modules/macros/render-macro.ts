import { MACRO_PLACEHOLDERS } from '@seva/contracts';

/**
 * Macro text: `{{customer.first_name}}`-style placeholders, `{{article:<id or slug>}}` links and
 * `{{announcement:<id>}}` (an announcement's title and text), replaced as plain text (never evaluated:
 * customer-controlled values such as a name go in verbatim).
 */
const PLACEHOLDER = /\{\{\s*([a-z_.]+|article:[^}\s]+|announcement:[^}\s]+)\s*\}\}/gi;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Placeholders a macro text uses that Seva does not know (refused when the macro is saved). */
export function unknownPlaceholders(text: string): string[] {
  const bad = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) {
    const key = (m[1] ?? '').toLowerCase();
    if (key.startsWith('article:')) continue;
    if (key.startsWith('announcement:')) {
      if (!UUID.test(key.slice('announcement:'.length))) bad.add(key);
      continue;
    }
    if (!(MACRO_PLACEHOLDERS as readonly string[]).includes(key)) bad.add(key);
  }
  // braces that do not form a placeholder at all, e.g. "{{customer name}}"
  const whole = new RegExp(`^${PLACEHOLDER.source}$`, 'i');
  for (const m of text.matchAll(/\{\{([^}]*)\}\}/g)) if (!whole.test(m[0])) bad.add((m[1] ?? '').trim());
  return [...bad];
}

/** Article references in a text: ids or slugs after "article:". */
export function articleRefs(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').filter((k) => k.toLowerCase().startsWith('article:')).map((k) => k.slice('article:'.length));
}

/** Announcement ids in a text (after "announcement:"). */
export function announcementRefs(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)]
    .map((m) => m[1] ?? '')
    .filter((k) => k.toLowerCase().startsWith('announcement:'))
    .map((k) => k.slice('announcement:'.length));
}

export function renderMacro(
  text: string,
  values: Record<string, string>,
  articles: Record<string, string | null>,
  announcements: Record<string, string | null> = {},
): { body: string; missing: string[] } {
  const missing: string[] = [];
  const body = text.replace(PLACEHOLDER, (_whole, raw: string) => {
    const key = raw.toLowerCase();
    if (key.startsWith('announcement:')) {
      const found = announcements[raw.slice('announcement:'.length)];
      if (found) return found;
      missing.push(raw);
      return '';
    }
    if (key.startsWith('article:')) {
      const url = articles[raw.slice('article:'.length)];
      if (url) return url;
      missing.push(raw);
      return '';
    }
    const v = values[key];
    if (v === undefined || v === '') {
      missing.push(key);
      return '';
    }
    return v;
  });
  return { body, missing };
}

/**
 * The language to answer in: the ticket's, else the customer's, else the desk's default, else English; a macro
 * without that language falls back to English, then to the first it has.
 */
export function chooseLanguage(
  bodies: Record<string, string>,
  prefs: Array<string | null | undefined>,
): { language: string; fellBack: boolean } {
  const available = Object.keys(bodies).filter((l) => (bodies[l] ?? '').trim() !== '');
  const wanted = prefs.find((p): p is string => !!p)?.toLowerCase().split('-')[0] ?? 'en';
  if (available.includes(wanted)) return { language: wanted, fellBack: false };
  const base = available.find((l) => l.split('-')[0] === wanted);
  if (base) return { language: base, fellBack: false };
  if (available.includes('en')) return { language: 'en', fellBack: true };
  return { language: available[0] ?? 'en', fellBack: true };
}
