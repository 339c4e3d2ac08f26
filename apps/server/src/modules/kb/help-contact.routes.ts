import { KB_LOCALES, type KbLocale, type KbSettings } from '@seva/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONTACT_JS } from './help-assets.ts';
import { contactCategories, submitContactForm, takeContactBudget } from './help-contact.service.ts';
import {
  type ContactFieldError,
  type ContactValues,
  helpFormKey,
  readContactForm,
  signFormToken,
  validateContactForm,
  verifyFormToken,
} from './help-contact-form.ts';
import { EMPTY_CONTACT, renderContact, renderContactSent } from './help-contact-pages.ts';
import type { HelpStrings } from './help-i18n.ts';
import { localeFromAcceptLanguage } from './help-i18n.ts';
import type { PageContext } from './help-pages.ts';
import { discardHelpUploads, readHelpPost, uploadVars } from './help-uploads.ts';
import { getKbSettings } from './kb-settings.service.ts';

/** the help centre's form parser limit (the contact form is the largest form) */
export const CONTACT_FORM_BODY_LIMIT = 128 * 1024;

export interface HelpPageTools {
  context(req: FastifyRequest, locale: KbLocale, path: string): Promise<PageContext>;
  sendHtml(reply: FastifyReply, body: string, status?: number, cache?: string): FastifyReply;
  notFound(req: FastifyRequest, reply: FastifyReply, locale: KbLocale | null): Promise<FastifyReply>;
}

function parseLocale(raw: unknown): KbLocale | null {
  return typeof raw === 'string' && (KB_LOCALES as readonly string[]).includes(raw) ? (raw as KbLocale) : null;
}

/** The origins a form post may come from: the help centre's own (custom domain, public URL) and the request host. */
export function sameOrigin(req: FastifyRequest, settings: KbSettings, publicUrl: string | undefined): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const allowed = new Set([`${req.protocol}://${req.host}`]);
  if (settings.customDomain) allowed.add(`https://${settings.customDomain}`);
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  return allowed.has(origin);
}

/**
 * The contact form at /help/<locale>/contact (the help centre's "contact us"): GET shows it, POST makes a ticket
 * or shows the form again with per-field messages and everything typed kept. /help/contact picks the language
 * like /help does. When the KB settings name a contact URL, the contact links go there instead.
 */
export async function helpContactRoutes(app: FastifyInstance, tools: HelpPageTools): Promise<void> {
  const { deps } = app;
  const { context, sendHtml, notFound } = tools;

  app.get('/help/assets/contact.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CONTACT_JS),
  );

  app.get('/help/contact', async (req, reply) => {
    const settings = await getKbSettings(deps.db);
    if (settings.contactUrl) return reply.redirect(settings.contactUrl, 302);
    const locale = localeFromAcceptLanguage(req.headers['accept-language']) ?? settings.defaultLocale;
    return reply.header('vary', 'accept-language').redirect(`/help/${locale}/contact`, 302);
  });

  const showForm = async (
    req: FastifyRequest,
    reply: FastifyReply,
    locale: KbLocale,
    view: { values: ContactValues; errors: ContactFieldError[]; formError: keyof HelpStrings | null },
    status: number,
  ) => {
    const [categories, key, ctx] = await Promise.all([
      contactCategories(deps.db, locale),
      helpFormKey(deps.db, deps.config.secret),
      context(req, locale, `/help/${locale}/contact`),
    ]);
    const formToken = signFormToken(key, deps.clock.now());
    return sendHtml(
      reply,
      renderContact(ctx, { ...view, categories, formToken, upload: uploadVars(deps) }),
      status,
      'no-store',
    );
  };

  app.get<{ Params: { locale: string } }>('/help/:locale/contact', async (req, reply) => {
    const locale = parseLocale(req.params.locale);
    if (!locale) return notFound(req, reply, null);
    const settings = await getKbSettings(deps.db);
    if (settings.contactUrl) return reply.redirect(settings.contactUrl, 302);
    return showForm(req, reply, locale, { values: EMPTY_CONTACT, errors: [], formError: null }, 200);
  });

  app.post<{ Params: { locale: string }; Body: Record<string, unknown> | undefined }>(
    '/help/:locale/contact',
    async (req, reply) => {
      const locale = parseLocale(req.params.locale);
      if (!locale) return notFound(req, reply, null);
      const settings = await getKbSettings(deps.db);
      // a post from another site's page (forged form) is refused before anything is read
      if (!sameOrigin(req, settings, deps.config.publicUrl)) {
        return reply.status(403).type('text/plain; charset=utf-8').send('Forbidden');
      }
      // urlencoded, or multipart with files (stored and type-checked while they stream in)
      const post = await readHelpPost(deps, req);
      const body = post.fields;
      const values = readContactForm(body);
      // the honeypot: people never see the field, form-filling robots do; they get the usual page and no ticket
      if (typeof body.website === 'string' && body.website.trim() !== '') {
        req.log.info({ ip: req.ip }, 'help contact form: honeypot filled, nothing created');
        await discardHelpUploads(deps, post.files);
        const ctx = await context(req, locale, `/help/${locale}/contact`);
        return sendHtml(reply, renderContactSent(ctx, null), 200, 'no-store');
      }
      const key = await helpFormKey(deps.db, deps.config.secret);
      const now = deps.clock.now();
      const categoryIds = new Set((await contactCategories(deps.db, locale)).map((c) => c.id));
      const errors = validateContactForm(values, categoryIds);
      if (post.fileError) errors.push({ field: 'files', key: post.fileError, vars: uploadVars(deps) });
      const refuse = async (view: Parameters<typeof showForm>[3], status: number) => {
        await discardHelpUploads(deps, post.files);
        return showForm(req, reply, locale, view, status);
      };
      if (!verifyFormToken(key, body.formToken, now)) {
        return refuse({ values, errors, formError: 'errExpired' }, 400);
      }
      // a file refused for its size answers 413, like any oversize upload; the text typed is kept
      if (errors.length > 0) {
        return refuse({ values, errors, formError: null }, post.fileError === 'errFileTooLarge' ? 413 : 400);
      }
      if (!takeContactBudget(deps, req.ip)) {
        return refuse({ values, errors: [], formError: 'errTooMany' }, 429);
      }
      const ua = req.headers['user-agent'];
      const { ticketNumber } = await submitContactForm(deps, {
        values,
        files: post.files,
        locale,
        ip: req.ip,
        userAgent: typeof ua === 'string' ? ua : null,
      });
      const ctx = await context(req, locale, `/help/${locale}/contact`);
      return sendHtml(
        reply,
        renderContactSent(ctx, { ticketNumber, email: values.email.toLowerCase() }),
        200,
        'no-store',
      );
    },
  );
}
