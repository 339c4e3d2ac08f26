import type { WidgetLanguage } from '@seva/contracts';

const LANGS = new Set(['en', 'bn', 'hi']);

/** en/bn/hi from a locale such as `bn-BD` or `hi_IN`; null for anything else. */
export function widgetLanguage(locale: string | null | undefined): WidgetLanguage | null {
  const base = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return LANGS.has(base) ? (base as WidgetLanguage) : null;
}
