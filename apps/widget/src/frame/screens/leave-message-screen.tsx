import { useContext, useState } from 'preact/hooks';
import { KbContext } from '../kb/kb-context.ts';
import { KbSuggestions } from '../kb/kb-suggestions.tsx';
import { EMAIL_RE, FormField } from './form-field.tsx';
import type { ScreenProps } from './screen-props.ts';

/** "Leave a message": becomes an email ticket; the answer goes to the visitor's email. */
export function LeaveMessageScreen({ api, t, visitor, language, page, widgetKey }: ScreenProps) {
  const kb = useContext(KbContext);
  const [name, setName] = useState(visitor.name);
  const [email, setEmail] = useState(visitor.email ?? '');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const [ticketNumber, setTicketNumber] = useState<number | null>(null);

  if (ticketNumber !== null)
    return (
      <p class="done" role="status">
        {t('message.sent', { number: ticketNumber })}
      </p>
    );

  const submit = async (e: Event) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!name.trim()) next.name = t('form.required');
    if (!EMAIL_RE.test(email.trim())) next.email = email.trim() ? t('form.invalidEmail') : t('form.required');
    if (!body.trim()) next.body = t('form.required');
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    setFailed(false);
    try {
      const res = await api.leaveMessage({
        name: name.trim(),
        email: email.trim(),
        body: body.trim(),
        locale: language,
        page,
        ...(subject.trim() ? { subject: subject.trim() } : {}),
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
      <h2>{t('message.title')}</h2>
      <p class="muted">{t('message.intro')}</p>
      <FormField id="lm-name" label={t('message.name')} error={errors.name ?? null}>
        <input id="lm-name" autocomplete="name" value={name} onInput={input(setName)} aria-invalid={errors.name ? true : undefined} />
      </FormField>
      <FormField id="lm-email" label={t('message.email')} error={errors.email ?? null}>
        <input id="lm-email" type="email" autocomplete="email" value={email} onInput={input(setEmail)} aria-invalid={errors.email ? true : undefined} />
      </FormField>
      <FormField id="lm-subject" label={t('message.subject')}>
        <input id="lm-subject" value={subject} maxLength={300} onInput={input(setSubject)} />
      </FormField>
      <FormField id="lm-body" label={t('message.body')} error={errors.body ?? null}>
        <textarea id="lm-body" rows={5} maxLength={10000} value={body} onInput={input(setBody)} aria-invalid={errors.body ? true : undefined} />
      </FormField>
      {failed ? <p class="error" role="alert">{t('widget.error')}</p> : null}
      <button type="submit" class="primary" disabled={busy}>
        {t('message.send')}
      </button>
      {kb ? <KbSuggestions api={api} t={t} language={language} widgetKey={widgetKey} text={`${subject} ${body}`} /> : null}
    </form>
  );
}
