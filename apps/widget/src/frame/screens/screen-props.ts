import type { WidgetPage, WidgetPublicConfig, WidgetVisitor } from '@seva/contracts';
import type { WidgetApi } from '../api.ts';
import type { Language, Translate } from '../i18n/index.ts';

/** What every screen gets from the app. */
export interface ScreenProps {
  api: WidgetApi;
  config: WidgetPublicConfig;
  visitor: WidgetVisitor;
  t: Translate;
  language: Language;
  page: WidgetPage;
  widgetKey: string;
}

/** A field's label in the visitor's language, else the widget's default, else any. */
export function labelIn(label: Record<string, string>, language: string, fallback: string): string {
  return label[language] || label[fallback] || Object.values(label)[0] || '';
}
