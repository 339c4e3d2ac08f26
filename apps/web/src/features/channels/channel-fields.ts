import type { ChannelKind } from '@seva/contracts';

/** One input of the connect form: a non-secret provider setting or a write-only credential. */
export interface ChannelField {
  key: string;
  group: 'settings' | 'credentials' | 'callbackUrl';
  required: boolean;
  secret: boolean;
}

const s = (key: string, required = true): ChannelField => ({ key, group: 'settings', required, secret: false });
const c = (key: string, required = true): ChannelField => ({ key, group: 'credentials', required, secret: true });

/** What each kind asks for when it is connected (mirrors the server's per-kind checks). */
export const CHANNEL_FIELDS: Record<ChannelKind, ChannelField[]> = {
  api: [{ key: 'callbackUrl', group: 'callbackUrl', required: true, secret: false }],
  sms: [s('accountSid'), s('phoneNumber'), c('authToken'), s('webhookUrl', false), s('apiBaseUrl', false)],
  whatsapp: [
    s('phoneNumberId'),
    c('appSecret'),
    c('accessToken'),
    c('verifyToken'),
    s('templateName', false),
    s('templateLanguage', false),
    s('templateLanguages', false),
    s('templateHeader', false),
    s('templateBody', false),
    s('templateButtons', false),
    s('apiBaseUrl', false),
  ],
  messenger: [s('pageId'), c('appSecret'), c('accessToken'), c('verifyToken'), s('apiBaseUrl', false)],
  instagram: [s('pageId'), c('appSecret'), c('accessToken'), c('verifyToken'), s('apiBaseUrl', false)],
  telegram: [c('botToken'), c('webhookSecret'), s('botUsername', false), s('apiBaseUrl', false)],
};

/** Builds the create/update body parts from the form's values; empty optional values are left out. */
export function fieldValuesToBody(kind: ChannelKind, values: Record<string, string>) {
  const settings: Record<string, string> = {};
  const credentials: Record<string, string> = {};
  let callbackUrl: string | undefined;
  for (const f of CHANNEL_FIELDS[kind]) {
    const v = (values[f.key] ?? '').trim();
    if (v === '') continue;
    if (f.group === 'settings') settings[f.key] = v;
    else if (f.group === 'credentials') credentials[f.key] = v;
    else callbackUrl = v;
  }
  return {
    ...(Object.keys(settings).length > 0 ? { settings } : {}),
    ...(Object.keys(credentials).length > 0 ? { credentials } : {}),
    ...(callbackUrl ? { callbackUrl } : {}),
  };
}

/** Fields still empty that the kind needs (credentials already stored on the server count as set). */
export function missingFields(
  kind: ChannelKind,
  values: Record<string, string>,
  alreadySet: readonly string[] = [],
): string[] {
  return CHANNEL_FIELDS[kind]
    .filter((f) => f.required && (values[f.key] ?? '').trim() === '' && !alreadySet.includes(f.key))
    .map((f) => f.key);
}

/** The full webhook URL to paste into the provider's console. */
export function hookUrl(origin: string, hookPath: string): string {
  return `${origin.replace(/\/$/, '')}${hookPath}`;
}

export interface HoursForm {
  enabled: boolean;
  timezone: string;
  days: number[];
  open: string;
  close: string;
}

/** The settings form edits one opening time for the chosen days; the server stores a range per day. */
export function hoursToBody(
  f: HoursForm,
): { timezone: string; days: Array<{ day: number; open: string; close: string }> } | null {
  if (!f.enabled) return null;
  return {
    timezone: f.timezone.trim(),
    days: [...new Set(f.days)].sort().map((day) => ({ day, open: f.open, close: f.close })),
  };
}

export function hoursFromChannel(
  hours: { timezone: string; days: Array<{ day: number; open: string; close: string }> } | null,
  fallbackTimezone: string,
): HoursForm {
  if (!hours)
    return { enabled: false, timezone: fallbackTimezone, days: [0, 1, 2, 3, 4], open: '09:00', close: '17:00' };
  const first = hours.days[0];
  return {
    enabled: true,
    timezone: hours.timezone,
    days: hours.days.map((d) => d.day),
    open: first?.open ?? '09:00',
    close: first?.close ?? '17:00',
  };
}
