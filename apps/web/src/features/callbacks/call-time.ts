/**
 * Pure helpers of the callback queue and the call log: call durations typed as mm:ss (or h:mm:ss, or plain seconds)
 * and times shown in a given time zone.
 */

/** "4:05" → 245, "1:02:03" → 3723, "90" → 90; null when it is not a duration (or seconds ≥ 60 after a colon). */
export function parseDuration(input: string): number | null {
  const s = input.trim();
  if (s === '') return null;
  if (/^\d{1,5}$/.test(s)) return Number(s);
  const parts = s.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^\d{1,3}$/.test(p))) return null;
  const nums = parts.map(Number);
  const [a, b, c] = nums as [number, number, number | undefined];
  if (c === undefined) {
    if (b >= 60) return null;
    return a * 60 + b;
  }
  if (b >= 60 || c >= 60) return null;
  return a * 3600 + b * 60 + c;
}

/** 245 → "4:05", 3723 → "1:02:03". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Is this an IANA time zone the browser knows? */
export function isKnownTimeZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A moment as date and time in a time zone (the agent's own when none or unknown), in the UI's language. */
export function formatInZone(iso: string, locale: string, zone?: string | null): string {
  const tag = locale === 'en' ? 'en-GB' : `${locale}-IN`;
  return new Intl.DateTimeFormat(tag, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(isKnownTimeZone(zone) ? { timeZone: zone } : {}),
  }).format(new Date(iso));
}

/** A `datetime-local` input value (local wall time) as an ISO instant with offset; null when empty or invalid. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** An ISO instant as a `datetime-local` input value in the browser's zone. */
export function isoToLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
