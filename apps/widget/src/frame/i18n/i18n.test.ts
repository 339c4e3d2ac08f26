import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { createTranslator, DICTIONARIES, LANGUAGES, pickLanguage } from './index.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('widget dictionaries', () => {
  for (const lang of LANGUAGES) {
    it(`has every English key in ${lang}, none empty, with the same placeholders`, () => {
      const dict = DICTIONARIES[lang];
      const missing = Object.keys(en).filter((k) => typeof dict[k as keyof typeof en] !== 'string' || dict[k as keyof typeof en].trim() === '');
      expect(missing, `missing or empty in ${lang}`).toEqual([]);
      const extra = Object.keys(dict).filter((k) => !(k in en));
      expect(extra, `keys in ${lang} that English lacks`).toEqual([]);
      for (const [key, text] of Object.entries(en)) {
        expect(placeholders(dict[key as keyof typeof en]), `${lang} ${key}`).toEqual(placeholders(text));
      }
    });
  }

  it('translates Bengali and Hindi text, not English copies', () => {
    for (const lang of ['bn', 'hi'] as const) {
      const same = Object.entries(en).filter(([k, v]) => DICTIONARIES[lang][k as keyof typeof en] === v);
      expect(same.map(([k]) => k), lang).toEqual([]);
    }
  });

  it('fills placeholders as plain text', () => {
    const t = createTranslator('hi');
    expect(t('chat.joined', { name: '<b>Asha</b>' })).toBe('<b>Asha</b> चैट में जुड़ गए');
  });

  it('picks the site language, then the browser languages, then the widget default', () => {
    expect(pickLanguage(['hi', 'en-GB'], 'en')).toBe('hi');
    expect(pickLanguage([null, 'fr-FR', 'bn-BD'], 'en')).toBe('bn');
    expect(pickLanguage([undefined, 'de'], 'hi')).toBe('hi');
  });
});
