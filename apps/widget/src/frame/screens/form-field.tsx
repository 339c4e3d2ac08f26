import type { JSX } from 'preact';

export interface FormFieldProps {
  id: string;
  label: string;
  error?: string | null;
  children: JSX.Element;
  hint?: string;
}

/** A labelled field with its error announced to screen readers. */
export function FormField({ id, label, error, children, hint }: FormFieldProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint ? <small class="muted">{hint}</small> : null}
      {error ? (
        <small class="error" id={`${id}-error`} role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const PHONE_RE = /^\+?[0-9 ()./-]{5,40}$/;
