import { KB_LOCALES, KbDeflectionEventBody, type KbLocale, type KbSettings } from '@seva/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  countView,
  type HelpAudience,
  hashIp,
  publicArticle,
  publicSection,
  publicTree,
  publicUnsectioned,
  recordFeedback,
  recordSearchClick,
  relatedArticles,
  sitemapEntries,
} from './help.service.ts';
import { HELP_CSS, HELP_JS, themeCss } from './help-assets.ts';
import { CONTACT_FORM_BODY_LIMIT, helpContactRoutes } from './help-contact.routes.ts';
import { localeFromAcceptLanguage } from './help-i18n.ts';
import {
  articlePath,
  type PageContext,
  renderArticle,
  renderCategory,
  renderHome,
  renderNotFound,
  renderSearch,
  renderSection,
} from './help-pages.ts';
import { helpPortalRoutes } from './help-portal.routes.ts';
import { PORTAL_COOKIE, readPortalSession } from './help-portal-auth.ts';
import { recordDeflectionEvent } from './kb-deflection.service.ts';
import { escapeXml } from './kb-escape.ts';
import { searchKb } from './kb-search.service.ts';
import { getKbSettings } from './kb-settings.service.ts';

/**
 * The public help centre at /help: server-rendered pages, search (HTML and JSON), sitemap and feedback. Only
 * published translations of public articles are ever shown (help.service.ts applies that rule to every query).
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  'frame-src https://www.youtube-nocookie.com https://player.vimeo.com',
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SearchJsonQuery = z.object({
  q: z.string().trim().max(200).default(''),
  locale: z.enum(KB_LOCALES).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  /** widget | suggest (search-as-you-type, not logged) | api */
  source: z.enum(['api', 'widget', 'suggest']).default('api'),
});

/** The same problem+json the API gives for invalid input, for the help centre's JSON endpoints. */
function validationProblem(reply: FastifyReply, where: string, issues: z.core.$ZodIssue[]) {
  return reply
    .status(400)
    .type('application/problem+json')
    .send({
      type: 'https://seva.dev/problems/validation-failed',
      title: 'Some fields are not valid',
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message })),
    });
}

function parseLocale(raw: unknown): KbLocale | null {
  return typeof raw === 'string' && (KB_LOCALES as readonly string[]).includes(raw) ? (raw as KbLocale) : null;
}

export async function helpRoutes(app: FastifyInstance): Promise<void> {
  const { deps } = app;
  const salt = deps.config.secret ?? 'seva-help-feedback';

  // Forms on the help centre post application/x-www-form-urlencoded (this parser is local to the help plugin).
  // The contact form's message may be 10,000 characters of Bengali, percent-encoded: up to ~90 KB.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: CONTACT_FORM_BODY_LIMIT },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  app.addHook('onSend', async (_req, reply, payload) => {
    // a page's CSP, unless the route set a stricter one (attachment downloads: a sandbox)
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    return payload;
  });

  const origin = (req: FastifyRequest, settings: KbSettings): string => {
    if (settings.customDomain) return `https://${settings.customDomain}`;
    if (deps.config.publicUrl) return deps.config.publicUrl.replace(/\/+$/, '');
    return `${req.protocol}://${req.host}`;
  };

  const context = async (
    req: FastifyRequest,
    locale: KbLocale,
    path: string,
    alternates?: PageContext['alternates'],
  ): Promise<PageContext> => {
    const settings = await getKbSettings(deps.db);
    const all = Object.fromEntries(KB_LOCALES.map((l) => [l, path.replace(`/help/${locale}`, `/help/${l}`)]));
    return { locale, settings, origin: origin(req, settings), path, alternates: alternates ?? all };
  };

  /** the signed-in customer of the "my requests" pages (a live portal session), or null */
  const portalCustomer = (req: FastifyRequest) =>
    readPortalSession(deps.db, req.cookies?.[PORTAL_COOKIE], deps.clock.now());

  /**
   * Listings (home, category, section) for a signed-in customer also list `customers` articles, and such a page is
   * private to them (never stored by a shared cache); anonymous visitors get the public, cacheable page.
   */
  const listingAudience = async (req: FastifyRequest): Promise<{ audience: HelpAudience; cache: string }> =>
    (await portalCustomer(req))
      ? { audience: 'customers', cache: 'private, no-store' }
      : { audience: 'public', cache: 'public, max-age=60' };

  const sendHtml = (reply: FastifyReply, body: string, status = 200, cache = 'public, max-age=60') =>
    reply.status(status).type('text/html; charset=utf-8').header('cache-control', cache).send(body);

  const notFound = async (req: FastifyRequest, reply: FastifyReply, locale: KbLocale | null) => {
    const l = locale ?? 'en';
    return sendHtml(reply, renderNotFound(await context(req, l, `/help/${l}`, {})), 404, 'no-store');
  };

  app.get('/help', async (req, reply) => {
    const settings = await getKbSettings(deps.db);
    const locale = localeFromAcceptLanguage(req.headers['accept-language']) ?? settings.defaultLocale;
    return reply.header('vary', 'accept-language').redirect(`/help/${locale}`, 302);
  });

  app.get('/help/assets/help.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(HELP_JS),
  );
  app.get('/help/assets/help.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(HELP_CSS),
  );
  app.get('/help/assets/theme.css', async (_req, reply) => {
    const settings = await getKbSettings(deps.db);
    return reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=60')
      .send(themeCss(settings.primaryColour));
  });

  await helpContactRoutes(app, { context, sendHtml, notFound });
  await helpPortalRoutes(app, { context, sendHtml, notFound });

  app.get(
    '/help/search.json',
    { config: { rateLimit: { max: 120, timeWindow: 60_000, keyGenerator: (req) => `kbsearch:${req.ip}` } } },
    async (req, reply) => {
      const parsed = SearchJsonQuery.safeParse(req.query);
      if (!parsed.success) {
        return validationProblem(reply, 'querystring', parsed.error.issues);
      }
      const { q, locale, limit, source } = parsed.data;
      reply.header('cache-control', 'no-store');
      if (q === '') return { query: q, locale: locale ?? null, searchId: null, items: [] };
      const result = await searchKb(deps.db, {
        query: q,
        locale,
        audience: 'public',
        limit,
        logSource: source === 'suggest' ? null : source,
        now: deps.clock.now(),
      });
      return { query: q, locale: locale ?? null, searchId: result.searchId, items: result.items };
    },
  );

  // Deflection reports from the widget, the web form and the help centre (JSON, no sign-in, rate-limited per IP).
  app.post(
    '/help/deflection',
    { config: { rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: (req) => `kbdeflect:${req.ip}` } } },
    async (req, reply) => {
      const parsed = KbDeflectionEventBody.safeParse(req.body);
      if (!parsed.success) {
        return validationProblem(reply, 'body', parsed.error.issues);
      }
      await deps.db.transaction((tx) => recordDeflectionEvent(tx, { body: parsed.data, now: deps.clock.now() }));
      return reply.status(204).send();
    },
  );

  app.get('/help/sitemap.xml', async (req, reply) => {
    const settings = await getKbSettings(deps.db);
    const base = origin(req, settings);
    const entries = await sitemapEntries(deps.db);
    const byArticle = new Map<string, typeof entries>();
    for (const e of entries) byArticle.set(e.articleId, [...(byArticle.get(e.articleId) ?? []), e]);
    const urls = entries.map((e) => {
      const alts = (byArticle.get(e.articleId) ?? [])
        .map(
          (a) =>
            `    <xhtml:link rel="alternate" hreflang="${a.locale}" href="${escapeXml(base + articlePath(a.locale, a.articleId, a.slug))}"/>`,
        )
        .join('\n');
      return `  <url>\n    <loc>${escapeXml(base + articlePath(e.locale, e.articleId, e.slug))}</loc>\n    <lastmod>${e.updatedAt.toISOString()}</lastmod>\n${alts}\n  </url>`;
    });
    const homes = KB_LOCALES.map((l) => `  <url><loc>${escapeXml(`${base}/help/${l}`)}</loc></url>`);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${[...homes, ...urls].join('\n')}\n</urlset>\n`;
    return reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(xml);
  });

  app.get<{ Params: { locale: string } }>('/help/:locale', async (req, reply) => {
    const locale = parseLocale(req.params.locale);
    if (!locale) return notFound(req, reply, null);
    const { audience, cache } = await listingAudience(req);
    const [tree, loose] = await Promise.all([
      publicTree(deps.db, locale, { audience }),
      publicUnsectioned(deps.db, locale, { audience }),
    ]);
    return sendHtml(reply, renderHome(await context(req, locale, `/help/${locale}`), tree, loose), 200, cache);
  });

  app.get<{ Params: { locale: string; slug: string } }>('/help/:locale/categories/:slug', async (req, reply) => {
    const locale = parseLocale(req.params.locale);
    if (!locale) return notFound(req, reply, null);
    const { audience, cache } = await listingAudience(req);
    const [category] = await publicTree(deps.db, locale, { categorySlug: req.params.slug, audience });
    if (!category) return notFound(req, reply, locale);
    return sendHtml(
      reply,
      renderCategory(await context(req, locale, `/help/${locale}/categories/${category.slug}`), category),
      200,
      cache,
    );
  });

  app.get<{ Params: { locale: string; slug: string } }>('/help/:locale/sections/:slug', async (req, reply) => {
    const locale = parseLocale(req.params.locale);
    if (!locale) return notFound(req, reply, null);
    const { audience, cache } = await listingAudience(req);
    const found = await publicSection(deps.db, locale, req.params.slug, audience);
    if (!found || found.section.articles.length === 0) return notFound(req, reply, locale);
    const ctx = await context(req, locale, `/help/${locale}/sections/${found.section.slug}`);
    return sendHtml(reply, renderSection(ctx, found.section, found.category), 200, cache);
  });

  const showArticle = async (
    req: FastifyRequest<{ Params: { locale: string; id: string; slug?: string }; Querystring: Record<string, string> }>,
    reply: FastifyReply,
  ) => {
    const locale = parseLocale(req.params.locale);
    if (!locale || !z.uuid().safeParse(req.params.id).success) return notFound(req, reply, locale);
    // a signed-in customer also sees articles for customers (and that page is then private to them)
    const customer = await portalCustomer(req);
    const article = await publicArticle(deps.db, req.params.id, locale, customer ? 'customers' : 'public');
    if (!article) return notFound(req, reply, locale);
    const canonical = articlePath(locale, article.articleId, article.slug);
    const query = req.query ?? {};
    if (req.params.slug === undefined || decodeURIComponent(req.params.slug) !== article.slug) {
      const keep = new URLSearchParams();
      if (query.sq) keep.set('sq', query.sq);
      return reply.redirect(`${canonical}${keep.size > 0 ? `?${keep}` : ''}`, 301);
    }
    const searchId = Number(query.sq);
    if (Number.isSafeInteger(searchId) && searchId > 0)
      await recordSearchClick(deps.db, searchId, article.articleId, deps.clock.now());
    await countView(deps.db, article.translationId);
    const alternates = Object.fromEntries(
      article.alternates.map((a) => [a.locale, articlePath(a.locale, article.articleId, a.slug)]),
    );
    const related = await relatedArticles(deps.db, article);
    const ctx = await context(req, locale, canonical, alternates);
    return sendHtml(
      reply,
      renderArticle(ctx, article, related, { thanks: query.feedback === 'thanks' }),
      200,
      customer ? 'private, no-store' : 'no-cache',
    );
  };
  app.get('/help/:locale/articles/:id', showArticle);
  app.get('/help/:locale/articles/:id/:slug', showArticle);

  app.post<{ Params: { locale: string; id: string }; Body: Record<string, string> | undefined }>(
    '/help/:locale/articles/:id/feedback',
    { config: { rateLimit: { max: 10, timeWindow: 60_000, keyGenerator: (req) => `kbfeedback:${req.ip}` } } },
    async (req, reply) => {
      const locale = parseLocale(req.params.locale);
      if (!locale || !z.uuid().safeParse(req.params.id).success) return notFound(req, reply, locale);
      // A vote from another site's page (forged form post) is refused.
      if (req.headers['sec-fetch-site'] === 'cross-site') return reply.status(403).type('text/plain').send('Forbidden');
      const helpful = req.body?.helpful;
      if (helpful !== 'yes' && helpful !== 'no')
        return reply.status(400).type('text/plain').send('helpful must be yes or no');
      const article = await publicArticle(deps.db, req.params.id, locale);
      if (!article) return notFound(req, reply, locale);
      await deps.db.transaction((tx) =>
        recordFeedback(tx, {
          translationId: article.translationId,
          articleId: article.articleId,
          locale,
          helpful: helpful === 'yes',
          ipHash: hashIp(req.ip, salt),
          now: deps.clock.now(),
        }),
      );
      return reply.redirect(`${articlePath(locale, article.articleId, article.slug)}?feedback=thanks`, 303);
    },
  );

  app.get<{ Params: { locale: string }; Querystring: { q?: string } }>(
    '/help/:locale/search',
    { config: { rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: (req) => `kbsearchpage:${req.ip}` } } },
    async (req, reply) => {
      const locale = parseLocale(req.params.locale);
      if (!locale) return notFound(req, reply, null);
      const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
      const ctx = await context(req, locale, `/help/${locale}/search`);
      if (q === '') return sendHtml(reply, renderSearch(ctx, '', [], null), 200, 'no-store');
      const customer = await portalCustomer(req);
      const result = await searchKb(deps.db, {
        query: q,
        locale,
        audience: customer ? 'customers' : 'public',
        limit: 20,
        logSource: 'help',
        now: deps.clock.now(),
      });
      return sendHtml(reply, renderSearch(ctx, q, result.items, result.searchId), 200, 'no-store');
    },
  );
}
