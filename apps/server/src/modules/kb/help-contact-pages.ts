import type { ContactCategory } from './help-contact.service.ts';
import type { ContactField, ContactFieldError, ContactValues } from './help-contact-form.ts';
import { CONTACT_LIMITS } from './help-contact-form.ts';
import { html, type SafeHtml } from './help-html.ts';
import { type HelpStrings, helpText } from './help-i18n.ts';
import { layout, type PageContext } from './help-pages.ts';

/**
 * The contact form page (server-rendered, works without JavaScript; /help/assets/contact.js adds article
 * suggestions while the visitor types) and the page shown after sending. Every value typed is escaped by `html`.
 */
export interface ContactFormView {
  values: ContactValues;
  errors: ContactFieldError[];
  /** a problem with the whole submission (expired form, too many messages) */
  formError: keyof HelpStrings | null;
  categories: ContactCategory[];
  formToken: string;
  /** the per-file size limit in MB and the file count, for the hint */
  upload: { mb: number; n: number };
}

export const EMPTY_CONTACT: ContactValues = {
  name: '',
  email: '',
  subject: '',
  message: '',
  categoryId: '',
  deflectionSession: '',
};

export function renderContact(ctx: PageContext, view: ContactFormView): string {
  const t = (k: keyof HelpStrings, vars?: Record<string, string | number>) => helpText(ctx.locale, k, vars);
  const { values, errors } = view;
  const errorOf = (field: ContactField) => errors.find((e) => e.field === field);
  const attrs = (field: ContactField) => {
    const e = errorOf(field);
    return e ? html` aria-invalid="true" aria-describedby="err-${field}"` : '';
  };
  const message = (field: ContactField): SafeHtml | '' => {
    const e = errorOf(field);
    return e ? html`<p class="field-error" id="err-${field}">${t(e.key, e.vars)}</p>` : '';
  };
  const input = (field: 'name' | 'email' | 'subject', label: keyof HelpStrings, type: string, auto: string) =>
    html`<div class="field"><label for="contact-${field}">${t(label)}</label>
${message(field)}<input id="contact-${field}" name="${field}" type="${type}" value="${values[field]}" maxlength="${CONTACT_LIMITS[field]}" autocomplete="${auto}" required${attrs(field)}></div>`;
  const summary =
    view.formError || errors.length > 0
      ? html`<div class="form-error" role="alert" data-testid="contact-error"><p>${t(view.formError ?? 'errorSummary')}</p>${
          errors.length > 0 && view.formError ? html`<p>${t('errorSummary')}</p>` : ''
        }</div>`
      : '';
  const category =
    view.categories.length > 0
      ? html`<div class="field"><label for="contact-category">${t('fieldCategory')}</label>
${message('categoryId')}<select id="contact-category" name="categoryId"${attrs('categoryId')}><option value="">${t('categoryNone')}</option>${view.categories.map(
          (c) => html`<option value="${c.id}"${c.id === values.categoryId ? html` selected` : ''}>${c.name}</option>`,
        )}</select></div>`
      : '';
  const body = html`<nav class="crumbs"><a href="/help/${ctx.locale}">${t('home')}</a></nav>
<h1>${t('contactTitle')}</h1>
<p>${t('contactIntro')}</p>
${summary}
<form class="contact-form" method="post" action="/help/${ctx.locale}/contact" enctype="multipart/form-data" novalidate data-testid="contact-form">
<input type="hidden" name="formToken" value="${view.formToken}">
<input type="hidden" name="deflectionSession" id="deflection-session" value="${values.deflectionSession}">
<div class="hp" aria-hidden="true"><label for="contact-website">${t('honeypot')}</label><input id="contact-website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
${input('name', 'fieldName', 'text', 'name')}
${input('email', 'fieldEmail', 'email', 'email')}
${category}
${input('subject', 'fieldSubject', 'text', 'off')}
<div class="field"><label for="contact-message">${t('fieldMessage')}</label>
${message('message')}<textarea id="contact-message" name="message" rows="8" maxlength="${CONTACT_LIMITS.message}" required${attrs('message')}>${values.message}</textarea></div>
<div class="field"><label for="contact-files">${t('fieldFiles')}</label>
${message('files')}<p class="hint" id="hint-files">${t('filesHint', view.upload)}</p><input id="contact-files" name="files" type="file" multiple accept="image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain" aria-describedby="hint-files"${attrs('files')}></div>
<section id="contact-suggestions" class="contact-suggestions" aria-live="polite" hidden data-locale="${ctx.locale}" data-open-label="${t('suggestOpen')}" data-solved-label="${t('suggestSolved')}" data-solved-thanks="${t('suggestSolvedThanks')}" data-testid="contact-suggestions">
<h2>${t('suggestHeading')}</h2><ul></ul>
</section>
<button type="submit">${t('sendButton')}</button>
</form>`;
  return layout(ctx, {
    title: t('contactTitle'),
    description: t('contactIntro'),
    body,
    noindex: errors.length > 0 || view.formError !== null,
    scripts: ['/help/assets/contact.js'],
  });
}

export function renderContactSent(ctx: PageContext, sent: { ticketNumber: number; email: string } | null): string {
  const t = (k: keyof HelpStrings, vars?: Record<string, string | number>) => helpText(ctx.locale, k, vars);
  const body = html`<div class="contact-sent" role="status" data-testid="contact-sent"><h1>${t('sentTitle')}</h1>
<p>${sent ? t('sentBody', { n: sent.ticketNumber, email: sent.email }) : t('sentBodyNoNumber')}</p>
<p><a href="/help/${ctx.locale}/tickets">${t('signInLink')}</a></p>
<p><a href="/help/${ctx.locale}">${t('backHome')}</a></p></div>`;
  return layout(ctx, { title: t('sentTitle'), description: t('sentTitle'), body, noindex: true });
}
