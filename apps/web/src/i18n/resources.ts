/**
 * Translation resources: one JSON file per namespace and language under ./locales/<lang>/<namespace>.json.
 * Every namespace must exist in every language with the same keys (checked by i18n.test.ts).
 */
const modules = import.meta.glob('./locales/*/*.json', { eager: true, import: 'default' }) as Record<string, Record<string, unknown>>;

export const SUPPORTED_LOCALES = ['en', 'bn', 'hi'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

export const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [file, content] of Object.entries(modules)) {
  const match = /\.\/locales\/([a-z]+)\/([a-z-]+)\.json$/.exec(file);
  if (!match) continue;
  const [, lang, ns] = match as unknown as [string, string, string];
  resources[lang] ??= {};
  resources[lang][ns] = content;
}
