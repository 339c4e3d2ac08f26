import { useContext, useState } from 'preact/hooks';
import { KbContext } from '../kb/kb-context.ts';
import { FormField, PHONE_RE } from './form-field.tsx';
import type { ScreenProps } from './screen-props.ts';

/** The visitor's local wall-clock time (from <input type="datetime-local">) as ISO with the visitor's offset. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hh = pad(Math.floor(abs / 60));
  const mm = pad(abs % 60);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00${sign}${hh}:${mm}`;
}

/** "Call me back": phone and a preferred time in the visitor's own time zone; becomes a phone ticket. */
export function CallbackScreen({ api, t, visitor, language, page }: ScreenProps) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const kb = useContext(KbContext);
  const [name, setName] = useState(visitor.name);
  const [phone, setPhone] = useState('');
  const [when, setWhen] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const [ticketNumber, setTicketNumber] = useState<number | null>(null);

  if (ticketNumber !== null)
    return (
      <p class="done" role="status">
        {t('callback.sent', { number: ticketNumber })}
      </p>
    );

  const submit = async (e: Event) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!name.trim()) next.name = t('form.required');
    if (!PHONE_RE.test(phone.trim())) next.phone = phone.trim() ? t('form.invalidPhone') : t('form.required');
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    setFailed(false);
    try {
      const preferredAt = localInputToIso(when);
      const res = await api.requestCallback({
        name: name.trim(),
        phone: phone.trim(),
        timezone: zone,
        locale: language,
        page,
        ...(preferredAt ? { preferredAt } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      kb?.session.submitted();
      setTicketNumber(res.ticketNumber);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  const input = (setter: (v: string) => void) => (e: Event) => setter((e.currentTarget as HTMLInputElement).value);
  return (
    <form class="form" onSubmit={submit} noValidate>
      <h2>{t('callback.title')}</h2>
      <p class="muted">{t('callback.intro')}</p>
      <FormField id="cb-name" label={t('callback.name')} error={errors.name ?? null}>
        <input id="cb-name" autocomplete="name" value={name} onInput={input(setName)} aria-invalid={errors.name ? true : undefined} />
      </FormField>
      <FormField id="cb-phone" label={t('callback.phone')} error={errors.phone ?? null}>
        <input id="cb-phone" type="tel" autocomplete="tel" value={phone} onInput={input(setPhone)} aria-invalid={errors.phone ? true : undefined} />
      </FormField>
      <FormField id="cb-when" label={t('callback.when')} hint={t('callback.timezone', { zone })}>
        <input id="cb-when" type="datetime-local" value={when} onInput={input(setWhen)} />
      </FormField>
      <FormField id="cb-note" label={t('callback.note')}>
        <textarea id="cb-note" rows={3} maxLength={2000} value={note} onInput={input(setNote)} />
      </FormField>
      {failed ? <p class="error" role="alert">{t('widget.error')}</p> : null}
      <button type="submit" class="primary" disabled={busy}>
        {t('callback.send')}
      </button>
    </form>
  );
}
