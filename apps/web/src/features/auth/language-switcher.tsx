import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { changeLocale, type Locale, SUPPORTED_LOCALES } from '../../i18n/index.ts';

/**
 * Each language named in itself (an autonym), the way language pickers do it, so anyone can find theirs whatever
 * language the screen is in now. Deliberately not translated.
 */
export const LANGUAGE_AUTONYMS: Record<Locale, string> = { en: 'English', bn: 'বাংলা', hi: 'हिन्दी' };

/** Language choice on the signed-out screens. */
export function LanguageSwitcher({ onChange }: { onChange?: (locale: Locale) => void }) {
  const { t, i18n } = useTranslation();
  const current = (SUPPORTED_LOCALES as readonly string[]).includes(i18n.language) ? i18n.language : 'en';
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('common:nav.language')}
      data-testid="language-switcher"
      value={current}
      onChange={(v) => {
        changeLocale(v as Locale);
        onChange?.(v as Locale);
      }}
      data={SUPPORTED_LOCALES.map((l) => ({ value: l, label: LANGUAGE_AUTONYMS[l] }))}
    />
  );
}
