import { bn } from './bn.ts';
import { en } from './en.ts';
import { hi } from './hi.ts';
import type { LanguagePack } from './language-pack.ts';

export * from './language-pack.ts';

export type DemoLanguage = 'en' | 'bn' | 'hi';
export const LANGUAGE_PACKS: Readonly<Record<DemoLanguage, LanguagePack>> = { en, bn, hi };
