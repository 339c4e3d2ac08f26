import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { KB_LOCALES, type KbLocale } from '@seva/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { attachmentPath, contentDisposition, servedContentType } from '../attachments/index.ts';
import { type HelpPageTools, sameOrigin } from './help-contact.routes.ts';
import { helpFormKey, signFormToken, verifyFormToken } from './help-contact-form.ts';
import type { HelpStrings } from './help-i18n.ts';
import {
  customerByEmail,
  findPortalAttachment,
  findPortalTicket,
  listPortalTickets,
  replyFromPortal,
  requestSignInLink,
} from './help-portal.service.ts';
import {
  consumeSignInLink,
  createPortalSession,
  PORTAL_COOKIE,
  PORTAL_SESSION_TTL_MS,
  readPortalSession,
  readSignInLink,
  revokeCustomerPortalSessions,
  revokePortalSession,
} from './help-portal-auth.ts';
import { renderLinkConfirm, renderSignIn, renderTicket, renderTickets } from './help-portal-pages.ts';
import { discardHelpUploads, readHelpPost, uploadVars } from './help-uploads.ts';
import { getKbSettings } from './kb-settings.service.ts';

type Req = FastifyRequest<{ Params: { locale: string; number?: string }; Body: Record<string, unknown> | undefined }>;

function parseLocale(raw: unknown): KbLocale | null {
  return typeof raw === 'string' && (KB_LOCALES as readonly string[]).includes(raw) ? (raw as KbLocale) : null;
}

const PRIVATE = 'private, no-store';

/**
 * "My requests" in the help centre: magic-link sign-in (no account enumeration: one answer for every address),
 * the customer's tickets (and their organisation's when it shares them), a ticket page with customer-visible
 * messages only, and a reply box. See help-portal-auth.ts for the link and the session cookie.
 */
export async function helpPortalRoutes(app: FastifyInstance, tools: HelpPageTools): Promise<void> {
  const { deps } = app;
  const { context, sendHtml, notFound } = tools;
  const secret = deps.config.secret;

  const formToken = async () => signFormToken(await helpFormKey(deps.db, secret), deps.clock.now());
  const tokenOk = async (req: Req) =>
    verifyFormToken(await helpFormKey(deps.db, secret), req.body?.formToken, deps.clock.now());
  const signedIn = (req: FastifyRequest) => readPortalSession(deps.db, req.cookies?.[PORTAL_COOKIE], deps.clock.now());
  const forbidden = (reply: FastifyReply) => reply.status(403).type('text/plain; charset=utf-8').send('Forbidden');
  const crossSite = async (req: FastifyRequest) =>
    !sameOrigin(req, await getKbSettings(deps.db), deps.config.publicUrl);

  app.get<{ Params: { locale: string } }>('/help/:locale/sign-in', async (req, reply) => {
    const locale = parseLocale(req.params.locale);
    if (!locale) return notFound(req, reply, null);
    if (await signedIn(req)) return reply.redirect(`/help/${locale}/tickets`, 303);
    const ctx = await context(req, locale, `/help/${locale}/sign-in`);
    return sendHtml(reply, renderSignIn(ctx, { formToken: await formToken(), sentTo: null }), 200, PRIVATE);
  });

  app.post('/help/:locale/sign-in', async (req: Req, reply) => {
    const locale = parseLocale(req.params.locale);
    if (!locale) return notFound(req, reply, null);
    if (await crossSite(req)) return forbidden(reply);
    const ctx = await context(req, locale, `/help/${locale}/sign-in`);
    const email = typeof req.body?.email === 'string' ? req.body.email.trim().slice(0, 254) : '';
    if (!(await tokenOk(req)) || !/^[^\s@]+@[^\s@]+$/.test(email)) {
      return sendHtml(reply, renderSignIn(ctx, { formToken: await formToken(), sentTo: null }), 400, PRIVATE);
    }
    requestSignInLink(deps, { email, locale, ip: req.ip }, (err) =>
      req.log.error({ err }, 'help portal: sign-in link not sent'),
    );
    // the same answer for every address, known or not
    return sendHtml(reply, renderSignIn(ctx, { formToken: '', sentTo: email }), 200, PRIVATE);
  });

  // Opening the link only shows a button: mail scanners that fetch links do not use it up.
  app.get<{ Params: { locale: string }; Querystring: { token?: string } }>(
    '/help/:locale/sign-in/link',
    async (req, reply) => {
      const locale = parseLocale(req.params.locale);
      if (!locale) return notFound(req, reply, null);
      const ctx = await context(req, locale, `/help/${locale}/sign-in`);
      const token = typeof req.query.token === 'string' ? req.query.token : '';
      const ok = await readSignInLink(deps.db, secret, token, deps.clock.now());
      return ok
        ? sendHtml(reply, renderLinkConfirm(ctx, { token, formToken: await formToken() }), 200, PRIVATE)
        : sendHtml(reply, renderLinkConfirm(ctx, null), 400, PRIVATE);
    },
  );

  app.post('/help/:locale/sign-in/link', async (req: Req, reply) => {
    const locale = parseLocale(req.params.locale);
    if (!locale) return notFound(req, reply, null);
    if (await crossSite(req)) return forbidden(reply);
    const ctx = await context(req, locale, `/help/${locale}/sign-in`);
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    const now = deps.clock.now();
    const link = await readSignInLink(deps.db, secret, token, now);
    const customer = link ? await customerByEmail(deps.db, link.email) : null;
    // the link is used up and the session made in one transaction
    const value =
      link && customer
        ? await deps.db.transaction(async (tx) =>
            (await consumeSignInLink(tx, { nonce: link.nonce, customerId: customer.id, now }))
              ? createPortalSession(tx, {
                  customerId: customer.id,
                  now,
                  ip: req.ip,
                  userAgent: req.headers['user-agent'] ?? null,
                })
              : null,
          )
        : null;
    if (!value) return sendHtml(reply, renderLinkConfirm(ctx, null), 400, PRIVATE);
    reply.setCookie(PORTAL_COOKIE, value, {
      path: '/help',
      httpOnly: true,
      sameSite: 'lax',
      secure: req.protocol === 'https',
      maxAge: PORTAL_SESSION_TTL_MS / 1000,
    });
    return reply.redirect(`/help/${locale}/tickets`, 303);
  });

  // Signing out ends the session on the server, so a copied cookie stops working too.
  app.post('/help/:locale/sign-out', async (req: Req, reply) => {
    const locale = parseLocale(req.params.locale) ?? 'en';
    if (await crossSite(req)) return forbidden(reply);
    await revokePortalSession(deps.db, req.cookies?.[PORTAL_COOKIE], deps.clock.now());
    reply.clearCookie(PORTAL_COOKIE, { path: '/help' });
    return reply.redirect(`/help/${locale}`, 303);
  });

  // "Sign out everywhere": every session of this customer, on every device.
  app.post('/help/:locale/sign-out-everywhere', async (req: Req, reply) => {
    const locale = parseLocale(req.params.locale) ?? 'en';
    if (await crossSite(req)) return forbidden(reply);
    const me = await signedIn(req);
    if (me && !(await tokenOk(req))) return forbidden(reply);
    if (me) await revokeCustomerPortalSessions(deps.db, { customerId: me, now: deps.clock.now() });
    reply.clearCookie(PORTAL_COOKIE, { path: '/help' });
    return reply.redirect(`/help/${locale}`, 303);
  });

  app.get<{ Params: { locale: string } }>('/help/:locale/tickets', async (req, reply) => {
    const locale = parseLocale(req.params.locale);
    if (!locale) return notFound(req, reply, null);
    const me = await signedIn(req);
    if (!me) return reply.redirect(`/help/${locale}/sign-in`, 303);
    const ctx = await context(req, locale, `/help/${locale}/tickets`);
    const rows = await listPortalTickets(deps.db, me);
    return sendHtml(reply, renderTickets(ctx, rows, me, await formToken()), 200, PRIVATE);
  });

  const showTicket = async (
    req: Req,
    reply: FastifyReply,
    notice: keyof HelpStrings | null,
    status = 200,
    typed = '',
  ) => {
    const locale = parseLocale(req.params.locale);
    if (!locale) return notFound(req, reply, null);
    const me = await signedIn(req);
    if (!me) return reply.redirect(`/help/${locale}/sign-in`, 303);
    const number = Number(req.params.number);
    const ticket = Number.isSafeInteger(number) && number > 0 ? await findPortalTicket(deps.db, me, number) : null;
    // another customer's ticket answers exactly like one that does not exist
    if (!ticket) return notFound(req, reply, locale);
    const ctx = await context(req, locale, `/help/${locale}/tickets/${ticket.number}`);
    return sendHtml(
      reply,
      renderTicket(ctx, ticket, { me, formToken: await formToken(), notice, typed, upload: uploadVars(deps) }),
      status,
      PRIVATE,
    );
  };

  app.get<{ Params: { locale: string; number: string }; Querystring: { replied?: string } }>(
    '/help/:locale/tickets/:number',
    async (req, reply) => showTicket(req as unknown as Req, reply, req.query.replied === '1' ? 'replySent' : null),
  );

  app.post('/help/:locale/tickets/:number/reply', async (req: Req, reply) => {
    const locale = parseLocale(req.params.locale);
    if (!locale) return notFound(req, reply, null);
    if (await crossSite(req)) return forbidden(reply);
    const me = await signedIn(req);
    if (!me) return reply.redirect(`/help/${locale}/sign-in`, 303);
    // urlencoded, or multipart with files (stored and type-checked while they stream in)
    const post = await readHelpPost(deps, req);
    const body = (post.fields.body ?? '').replace(/\r\n?/g, '\n').trim();
    const refuse = async (notice: keyof HelpStrings, status: number) => {
      await discardHelpUploads(deps, post.files);
      return showTicket(req, reply, notice, status, body);
    };
    if (!verifyFormToken(await helpFormKey(deps.db, secret), post.fields.formToken, deps.clock.now())) {
      return refuse('errExpired', 400);
    }
    if (post.fileError) return refuse(post.fileError, post.fileError === 'errFileTooLarge' ? 413 : 400);
    if (body === '') return refuse('errRequired', 400);
    if ([...body].length > 10_000) return refuse('errNotSent', 400);
    const number = Number(req.params.number);
    if (!Number.isSafeInteger(number) || number <= 0) return notFound(req, reply, locale);
    const result = await replyFromPortal(deps, { customerId: me, number, body, files: post.files });
    if (result !== 'added') await discardHelpUploads(deps, post.files);
    if (result === 'not_found') return notFound(req, reply, locale);
    if (result === 'closed') return showTicket(req, reply, 'ticketClosed', 409);
    return reply.redirect(`/help/${locale}/tickets/${number}?replied=1`, 303);
  });

  // A file on the ticket: only through a session that may see the ticket, only on messages customers see; served
  // as a download that never runs (nosniff, sandbox CSP, active types as octet-stream).
  app.get<{ Params: { locale: string; number: string; attachmentId: string } }>(
    '/help/:locale/tickets/:number/attachments/:attachmentId',
    async (req, reply) => {
      const locale = parseLocale(req.params.locale);
      if (!locale) return notFound(req, reply, null);
      const me = await signedIn(req);
      if (!me) return reply.redirect(`/help/${locale}/sign-in`, 303);
      const number = Number(req.params.number);
      const id = req.params.attachmentId;
      const a =
        Number.isSafeInteger(number) && number > 0 && /^[0-9a-f-]{36}$/i.test(id)
          ? await findPortalAttachment(deps.db, { customerId: me, number, attachmentId: id })
          : null;
      if (!a) return notFound(req, reply, locale);
      const file = attachmentPath(deps.config.dataDir, a.sha256);
      try {
        await fs.access(file);
      } catch {
        return notFound(req, reply, locale);
      }
      return reply
        .header('content-type', servedContentType(a.contentType))
        .header('content-length', String(a.sizeBytes))
        .header('content-disposition', contentDisposition(a.filename))
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cross-origin-resource-policy', 'same-origin')
        .header('cache-control', 'private, no-store')
        .send(createReadStream(file));
    },
  );
}
