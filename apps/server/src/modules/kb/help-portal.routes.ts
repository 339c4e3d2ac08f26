import { KB_LOCALES, type KbLocale } from '@seva/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type HelpPageTools, sameOrigin } from './help-contact.routes.ts';
import { helpFormKey, signFormToken, verifyFormToken } from './help-contact-form.ts';
import type { HelpStrings } from './help-i18n.ts';
import {
  customerByEmail,
  findPortalTicket,
  listPortalTickets,
  replyFromPortal,
  requestSignInLink,
} from './help-portal.service.ts';
import {
  consumeSignInLink,
  PORTAL_COOKIE,
  PORTAL_SESSION_TTL_MS,
  readPortalSession,
  readSignInLink,
  signPortalSession,
} from './help-portal-auth.ts';
import { renderLinkConfirm, renderSignIn, renderTicket, renderTickets } from './help-portal-pages.ts';
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
export async function helpPortalRoutes(
  app: FastifyInstance,
  tools: HelpPageTools & { origin(req: FastifyRequest): Promise<string> },
): Promise<void> {
  const { deps } = app;
  const { context, sendHtml, notFound } = tools;
  const secret = deps.config.secret;

  const formToken = async () => signFormToken(await helpFormKey(deps.db, secret), deps.clock.now());
  const tokenOk = async (req: Req) =>
    verifyFormToken(await helpFormKey(deps.db, secret), req.body?.formToken, deps.clock.now());
  const signedIn = (req: FastifyRequest) =>
    readPortalSession(deps.db, secret, req.cookies?.[PORTAL_COOKIE], deps.clock.now());
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
    requestSignInLink(deps, { email, locale, origin: await tools.origin(req), ip: req.ip }, (err) =>
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
    const used =
      link && customer
        ? await deps.db.transaction((tx) => consumeSignInLink(tx, { nonce: link.nonce, customerId: customer.id, now }))
        : false;
    if (!customer || !used) return sendHtml(reply, renderLinkConfirm(ctx, null), 400, PRIVATE);
    const value = await signPortalSession(deps.db, secret, { customerId: customer.id, now });
    reply.setCookie(PORTAL_COOKIE, value, {
      path: '/help',
      httpOnly: true,
      sameSite: 'lax',
      secure: req.protocol === 'https',
      maxAge: PORTAL_SESSION_TTL_MS / 1000,
    });
    return reply.redirect(`/help/${locale}/tickets`, 303);
  });

  app.post('/help/:locale/sign-out', async (req: Req, reply) => {
    const locale = parseLocale(req.params.locale) ?? 'en';
    if (await crossSite(req)) return forbidden(reply);
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

  const showTicket = async (req: Req, reply: FastifyReply, notice: keyof HelpStrings | null, status = 200) => {
    const locale = parseLocale(req.params.locale);
    if (!locale) return notFound(req, reply, null);
    const me = await signedIn(req);
    if (!me) return reply.redirect(`/help/${locale}/sign-in`, 303);
    const number = Number(req.params.number);
    const ticket = Number.isSafeInteger(number) && number > 0 ? await findPortalTicket(deps.db, me, number) : null;
    // another customer's ticket answers exactly like one that does not exist
    if (!ticket) return notFound(req, reply, locale);
    const ctx = await context(req, locale, `/help/${locale}/tickets/${ticket.number}`);
    return sendHtml(reply, renderTicket(ctx, ticket, { me, formToken: await formToken(), notice }), status, PRIVATE);
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
    const body = typeof req.body?.body === 'string' ? req.body.body.replace(/\r\n?/g, '\n').trim() : '';
    if (!(await tokenOk(req))) return showTicket(req, reply, 'errExpired', 400);
    if (body === '') return showTicket(req, reply, 'errRequired', 400);
    if ([...body].length > 10_000) return showTicket(req, reply, 'errNotSent', 400);
    const number = Number(req.params.number);
    if (!Number.isSafeInteger(number) || number <= 0) return notFound(req, reply, locale);
    const result = await replyFromPortal(deps, { customerId: me, number, body });
    if (result === 'not_found') return notFound(req, reply, locale);
    if (result === 'closed') return showTicket(req, reply, 'ticketClosed', 409);
    return reply.redirect(`/help/${locale}/tickets/${number}?replied=1`, 303);
  });
}
