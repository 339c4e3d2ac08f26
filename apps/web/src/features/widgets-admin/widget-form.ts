import type { PreChatField, Widget, WidgetBody, WidgetOptions } from '@seva/contracts';

/**
 * The widget editor's form state and its conversion to the API body, with the checks the server also makes
 * (colours, origins, pre-chat keys) so the admin sees problems next to the field before saving.
 */
export const WIDGET_LANGS = ['en', 'bn', 'hi'] as const;
export type WidgetLang = (typeof WIDGET_LANGS)[number];

export interface WidgetForm {
  name: string;
  status: 'active' | 'disabled';
  primaryColor: string;
  position: 'right' | 'left';
  defaultLanguage: WidgetLang;
  greetings: Record<WidgetLang, string>;
  /** one origin per line */
  origins: string;
  options: WidgetOptions;
  preChatFields: PreChatField[];
  teamId: string | null;
  calendarId: string | null;
  offerTimeoutSeconds: number;
  requireIdentity: boolean;
}

export function emptyWidgetForm(): WidgetForm {
  return {
    name: '',
    status: 'active',
    primaryColor: '#1c7ed6',
    position: 'right',
    defaultLanguage: 'en',
    greetings: { en: '', bn: '', hi: '' },
    origins: '',
    options: { kb: true, chat: true, message: true, callback: true },
    preChatFields: [],
    teamId: null,
    calendarId: null,
    offerTimeoutSeconds: 45,
    requireIdentity: false,
  };
}

export function widgetToForm(w: Widget): WidgetForm {
  const lang = (WIDGET_LANGS as readonly string[]).includes(w.defaultLanguage) ? (w.defaultLanguage as WidgetLang) : 'en';
  return {
    name: w.name,
    status: w.status,
    primaryColor: w.primaryColor,
    position: w.position,
    defaultLanguage: lang,
    greetings: { en: w.greetings.en ?? '', bn: w.greetings.bn ?? '', hi: w.greetings.hi ?? '' },
    origins: w.allowedOrigins.join('\n'),
    options: { ...w.options },
    preChatFields: w.preChatFields.map((f) => ({ ...f, label: { ...f.label }, ...(f.options ? { options: f.options.map((o) => ({ ...o, label: { ...o.label } })) } : {}) })),
    teamId: w.teamId,
    calendarId: w.calendarId,
    offerTimeoutSeconds: w.offerTimeoutSeconds,
    requireIdentity: w.requireIdentity,
  };
}

const ORIGIN = /^https?:\/\/[^/\s?#]+$/;

/** Splits the origins text into lines; `invalid` are the lines that are not scheme://host[:port] (trailing / allowed). */
export function parseOrigins(text: string): { origins: string[]; invalid: string[] } {
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const raw of text.split(/[\n,]+/)) {
    const line = raw.trim().replace(/\/$/, '');
    if (!line) continue;
    const lower = line.toLowerCase();
    if (ORIGIN.test(lower)) {
      if (!origins.includes(lower)) origins.push(lower);
    } else invalid.push(raw.trim());
  }
  return { origins, invalid };
}

export const PRECHAT_KEY = /^[a-z][a-z0-9_]{0,39}$/;

export interface WidgetFormErrors {
  name?: 'required';
  primaryColor?: 'colour';
  origins?: string[];
  offerTimeoutSeconds?: 'range';
  /** index → problem */
  preChat?: Record<number, 'key' | 'duplicate' | 'label' | 'options'>;
}

export function validateWidgetForm(f: WidgetForm): WidgetFormErrors {
  const e: WidgetFormErrors = {};
  if (!f.name.trim()) e.name = 'required';
  if (!/^#[0-9a-fA-F]{6}$/.test(f.primaryColor)) e.primaryColor = 'colour';
  const { invalid } = parseOrigins(f.origins);
  if (invalid.length) e.origins = invalid;
  if (!Number.isInteger(f.offerTimeoutSeconds) || f.offerTimeoutSeconds < 10 || f.offerTimeoutSeconds > 3600) e.offerTimeoutSeconds = 'range';
  const seen = new Set<string>();
  const pre: NonNullable<WidgetFormErrors['preChat']> = {};
  f.preChatFields.forEach((field, i) => {
    if (!PRECHAT_KEY.test(field.key)) pre[i] = 'key';
    else if (seen.has(field.key)) pre[i] = 'duplicate';
    else if (!Object.values(field.label).some((l) => l.trim())) pre[i] = 'label';
    else if (field.kind === 'select' && !(field.options ?? []).some((o) => o.value.trim())) pre[i] = 'options';
    seen.add(field.key);
  });
  if (Object.keys(pre).length) e.preChat = pre;
  return e;
}

export function hasErrors(e: WidgetFormErrors): boolean {
  return Object.keys(e).length > 0;
}

const compact = (m: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(m).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));

export function formToBody(f: WidgetForm): WidgetBody {
  return {
    name: f.name.trim(),
    status: f.status,
    primaryColor: f.primaryColor.toLowerCase(),
    position: f.position,
    defaultLanguage: f.defaultLanguage,
    greetings: compact(f.greetings),
    allowedOrigins: parseOrigins(f.origins).origins,
    options: f.options,
    preChatFields: f.preChatFields.map((p) => ({
      key: p.key,
      kind: p.kind,
      label: compact(p.label),
      required: p.required,
      ...(p.kind === 'select' ? { options: (p.options ?? []).filter((o) => o.value.trim()).map((o) => ({ value: o.value.trim(), label: compact(o.label) })) } : {}),
    })),
    teamId: f.teamId,
    calendarId: f.calendarId,
    offerTimeoutSeconds: f.offerTimeoutSeconds,
    requireIdentity: f.requireIdentity,
  };
}

/** The demo page for a widget (served by Seva). */
export function demoUrl(publicKey: string): string {
  return `/widget-demo?key=${encodeURIComponent(publicKey)}`;
}
