import { bn } from './bn.ts';
import { en, type MessageKey } from './en.ts';
import { hi } from './hi.ts';

export type { MessageKey } from './en.ts';
export const LANGUAGES = ['en', 'bn', 'hi'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', bn: 'বাংলা', hi: 'हिन्दी' };
export const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { en, bn, hi };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A translator for one language; `{name}` placeholders are filled from `vars` as plain text. */
export function createTranslator(language: Language): Translate {
  const dict = DICTIONARIES[language];
  return (key, vars) => {
    const text = dict[key] ?? en[key];
    return vars ? text.replace(/\{(\w+)\}/g, (all, name: string) => (name in vars ? String(vars[name]) : all)) : text;
  };
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The first supported language among preferences such as `bn-BD`, `hi`, `en-GB` (site's choice first). */
export function pickLanguage(preferences: ReadonlyArray<string | null | undefined>, fallback: Language): Language {
  for (const pref of preferences) {
    if (!pref) continue;
    const base = pref.toLowerCase().split(/[-_]/)[0];
    if (isLanguage(base)) return base;
  }
  return fallback;
}
