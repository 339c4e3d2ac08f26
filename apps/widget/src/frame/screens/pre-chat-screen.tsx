import type { PreChatField } from '@seva/contracts';
import { useState } from 'preact/hooks';
import { EMAIL_RE, FormField, PHONE_RE } from './form-field.tsx';
import { labelIn, type ScreenProps } from './screen-props.ts';

export interface PreChatScreenProps extends ScreenProps {
  onDone(answers: Record<string, string>): void;
}

/** The widget's pre-chat form (fields from its config). */
export function PreChatScreen(props: PreChatScreenProps) {
  const { config, t, language, visitor } = props;
  const [values, setValues] = useState<Record<string, string>>(() => ({
    ...(visitor.name ? { name: visitor.name } : {}),
    ...(visitor.email ? { email: visitor.email } : {}),
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});

  const validate = (f: PreChatField, v: string): string | null => {
    if (f.required && v.trim() === '') return t('form.required');
    if (v && f.kind === 'email' && !EMAIL_RE.test(v)) return t('form.invalidEmail');
    if (v && f.kind === 'phone' && !PHONE_RE.test(v)) return t('form.invalidPhone');
    return null;
  };

  const submit = (e: Event) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    for (const f of config.preChatFields) {
      const err = validate(f, values[f.key] ?? '');
      if (err) next[f.key] = err;
    }
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const answers: Record<string, string> = {};
    for (const f of config.preChatFields) if (values[f.key]) answers[f.key] = (values[f.key] ?? '').trim();
    props.onDone(answers);
  };

  const set = (key: string, v: string) => setValues((old) => ({ ...old, [key]: v }));

  return (
    <form class="form" onSubmit={submit} noValidate>
      <h2>{t('prechat.title')}</h2>
      {config.preChatFields.map((f) => {
        const id = `prechat-${f.key}`;
        const label = labelIn(f.label, language, config.defaultLanguage) || f.key;
        const common = {
          id,
          name: f.key,
          required: f.required,
          value: values[f.key] ?? '',
          'aria-invalid': errors[f.key] ? true : undefined,
          'aria-describedby': errors[f.key] ? `${id}-error` : undefined,
          onInput: (e: Event) => set(f.key, (e.currentTarget as HTMLInputElement).value),
        };
        let input = <input {...common} type={f.kind === 'email' ? 'email' : f.kind === 'phone' ? 'tel' : 'text'} />;
        if (f.kind === 'textarea') input = <textarea {...common} rows={3} />;
        if (f.kind === 'select')
          input = (
            <select {...common} onChange={common.onInput}>
              <option value="">{t('form.choose')}</option>
              {(f.options ?? []).map((o) => (
                <option key={o.value} value={o.value}>
                  {labelIn(o.label, language, config.defaultLanguage) || o.value}
                </option>
              ))}
            </select>
          );
        return (
          <FormField key={f.key} id={id} label={f.required ? `${label} *` : label} error={errors[f.key] ?? null}>
            {input}
          </FormField>
        );
      })}
      <button type="submit" class="primary">
        {t('prechat.start')}
      </button>
    </form>
  );
}
