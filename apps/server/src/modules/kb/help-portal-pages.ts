import type { CustomerVisibleMessage } from '../tickets/customer-visible-messages.ts';
import { html } from './help-html.ts';
import { type HelpStrings, helpText } from './help-i18n.ts';
import { layout, type PageContext } from './help-pages.ts';
import type { PortalTicketRow } from './help-portal.service.ts';

/** "My requests" pages of the help centre (server-rendered, escaped like every help page; bodies shown as text). */
type T = (k: keyof HelpStrings, vars?: Record<string, string | number>) => string;
const tFor =
  (ctx: PageContext): T =>
  (k, vars) =>
    helpText(ctx.locale, k, vars);

const STATUS_KEYS: Record<string, keyof HelpStrings> = {
  new: 'statusNew',
  open: 'statusOpen',
  pending: 'statusPending',
  on_hold: 'statusOnHold',
  solved: 'statusSolved',
  closed: 'statusClosed',
};
const statusText = (t: T, status: string) => (STATUS_KEYS[status] ? t(STATUS_KEYS[status]) : status);

export function renderSignIn(ctx: PageContext, opts: { formToken: string; sentTo: string | null }): string {
  const t = tFor(ctx);
  const body = html`<h1>${t('signInTitle')}</h1>
${
  opts.sentTo !== null
    ? html`<p role="status" data-testid="sign-in-sent">${t('signInSent', { email: opts.sentTo })}</p>`
    : html`<p>${t('signInIntro')}</p>
<form class="contact-form" method="post" action="/help/${ctx.locale}/sign-in">
<input type="hidden" name="formToken" value="${opts.formToken}">
<div class="field"><label for="sign-in-email">${t('fieldEmail')}</label>
<input id="sign-in-email" name="email" type="email" autocomplete="email" maxlength="254" required></div>
<button type="submit">${t('signInButton')}</button>
</form>`
}`;
  return layout(ctx, { title: t('signInTitle'), description: t('signInIntro'), body, noindex: true });
}

export function renderLinkConfirm(ctx: PageContext, opts: { token: string; formToken: string } | null): string {
  const t = tFor(ctx);
  const body = opts
    ? html`<h1>${t('linkConfirmTitle')}</h1>
<form class="contact-form" method="post" action="/help/${ctx.locale}/sign-in/link">
<input type="hidden" name="token" value="${opts.token}"><input type="hidden" name="formToken" value="${opts.formToken}">
<button type="submit">${t('linkConfirmButton')}</button></form>`
    : html`<h1>${t('linkConfirmTitle')}</h1><p class="form-error" role="alert" data-testid="link-invalid">${t('linkInvalid')}</p>
<p><a href="/help/${ctx.locale}/sign-in">${t('signInButton')}</a></p>`;
  return layout(ctx, { title: t('linkConfirmTitle'), description: t('linkConfirmTitle'), body, noindex: true });
}

function signOutForm(ctx: PageContext, t: T, formToken: string) {
  return html`<form method="post" action="/help/${ctx.locale}/sign-out" class="sign-out"><input type="hidden" name="formToken" value="${formToken}"><button type="submit">${t('signOut')}</button></form>
<form method="post" action="/help/${ctx.locale}/sign-out-everywhere" class="sign-out"><input type="hidden" name="formToken" value="${formToken}"><button type="submit" data-testid="sign-out-everywhere">${t('signOutEverywhere')}</button></form>`;
}

export function renderTickets(ctx: PageContext, rows: PortalTicketRow[], me: string, formToken: string): string {
  const t = tFor(ctx);
  const body = html`<h1>${t('myTickets')}</h1>${signOutForm(ctx, t, formToken)}
${
  rows.length === 0
    ? html`<p>${t('noTickets')}</p>`
    : html`<table class="tickets" data-testid="portal-tickets"><thead><tr><th>${t('colNumber')}</th><th>${t('colSubject')}</th><th>${t('colFrom')}</th><th>${t('colStatus')}</th><th>${t('colUpdated')}</th></tr></thead><tbody>${rows.map(
        (r) =>
          html`<tr><td>#${r.number}</td><td><a href="/help/${ctx.locale}/tickets/${r.number}">${r.subject}</a></td><td>${r.customerId === me ? t('authorYou') : r.customerName}</td><td>${statusText(t, r.status)}</td><td><time datetime="${r.updatedAt.toISOString()}">${r.updatedAt.toISOString().slice(0, 10)}</time></td></tr>`,
      )}</tbody></table>`
}`;
  return layout(ctx, { title: t('myTickets'), description: t('myTickets'), body, noindex: true });
}

export function renderTicket(
  ctx: PageContext,
  ticket: PortalTicketRow & { messages: CustomerVisibleMessage[] },
  opts: {
    me: string;
    formToken: string;
    notice: keyof HelpStrings | null;
    /** the reply typed before a refused post, shown again */
    typed?: string;
    upload: { n: number; mb: number };
  },
): string {
  const t = tFor(ctx);
  const own = ticket.customerId === opts.me;
  const body = html`<nav class="crumbs"><a href="/help/${ctx.locale}/tickets">${t('myTickets')}</a></nav>
<h1>#${ticket.number} ${ticket.subject}</h1>
<p class="meta">${t('colStatus')}: <span data-testid="portal-status">${statusText(t, ticket.status)}</span></p>
${opts.notice ? html`<p role="status" class="notice" data-testid="portal-notice">${t(opts.notice, opts.upload)}</p>` : ''}
<ol class="thread" data-testid="portal-thread">${ticket.messages.map(
    (m) =>
      html`<li class="msg msg-${m.authorType}"><p class="meta">${m.authorType === 'staff' ? (m.authorName ?? t('authorSupport')) : own ? t('authorYou') : (m.authorName ?? ticket.customerName)} · <time datetime="${m.createdAt}">${m.createdAt.slice(0, 16).replace('T', ' ')}</time></p><div class="msg-body">${m.bodyText}</div>${
        m.attachments.length > 0
          ? html`<ul class="msg-files" aria-label="${t('attachmentsLabel')}">${m.attachments.map(
              (a) =>
                html`<li><a href="/help/${ctx.locale}/tickets/${ticket.number}/attachments/${a.id}" download>${a.filename}</a> (${Math.max(1, Math.round(a.sizeBytes / 1024))} KB)</li>`,
            )}</ul>`
          : ''
      }</li>`,
  )}</ol>
${
  !own
    ? ''
    : ticket.status === 'closed'
      ? html`<p>${t('ticketClosed')}</p>`
      : html`<form class="contact-form" method="post" action="/help/${ctx.locale}/tickets/${ticket.number}/reply" enctype="multipart/form-data">
<input type="hidden" name="formToken" value="${opts.formToken}">
<div class="field"><label for="reply-body">${t('replyLabel')}</label><textarea id="reply-body" name="body" rows="6" maxlength="10000" required>${opts.typed ?? ''}</textarea></div>
<div class="field"><label for="reply-files">${t('fieldFiles')}</label><p class="hint" id="hint-reply-files">${t('filesHint', opts.upload)}</p>
<input id="reply-files" name="files" type="file" multiple accept="image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain" aria-describedby="hint-reply-files"></div>
<button type="submit">${t('replyButton')}</button></form>`
}`;
  return layout(ctx, {
    title: `#${ticket.number} ${ticket.subject}`,
    description: t('myTickets'),
    body,
    noindex: true,
  });
}
