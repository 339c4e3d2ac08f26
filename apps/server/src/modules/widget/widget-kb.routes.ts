import {
  KbLocale,
  WidgetKbArticle,
  WidgetKbArticleQuery,
  WidgetKbDeflectionBody,
  WidgetKbFeedbackBody,
  WidgetKbFeedbackResult,
  WidgetKbSearchResult,
} from '@seva/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { openArticleForWidget, rateArticleFromWidget, recordWidgetDeflection, searchKbForWidget } from '../kb/index.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { requireVisitor } from './visitor-auth.ts';
import { tooMany, widgetNotFound } from './widget.errors.ts';
import { findActiveWidget, findVisitorByToken, type VisitorRow, type WidgetRow } from './widget.repository.ts';
import { widgetLanguage } from './widget-language.ts';

const PUBLIC = { policy: 'public' as const };
const tags = ['widget'];
const ArticleParams = z.object({ id: z.uuid() });
/** deflection reports and votes, per visitor (they are cheap, but anyone can send them) */
const reportsPerVisitor = createRateLimiter({ max: 120, windowMs: 10 * 60_000 });

function articleNotFound(): AppError {
  return new AppError('NOT_FOUND', 'No public article has this id');
}

function kbLocale(lang: string | undefined | null): KbLocale | null {
  const l = widgetLanguage(lang);
  return l && KbLocale.safeParse(l).success ? (l as KbLocale) : null;
}

/** The visitor behind the request, with its widget, when the widget offers the knowledge base. */
async function requireKbVisitor(
  app: FastifyInstance,
  req: FastifyRequest,
): Promise<{ visitor: VisitorRow; widget: WidgetRow }> {
  const found = await requireVisitor(app, req);
  if (!found.widget.options.kb) throw widgetNotFound();
  return found;
}

/**
 * The knowledge base inside the widget: search-as-you-type, an article opened in the widget, "was this helpful?"
 * and deflection reports. Only published translations of public articles are ever returned (kb-widget.service.ts).
 * The module's origin guard applies to all of these (only Seva's own frame may call them).
 */
export async function widgetKbRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;

  r.get(
    '/kb/search',
    {
      config: { ...PUBLIC, rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: (req) => `widgetkb:${req.ip}` } },
      schema: {
        tags,
        querystring: z.object({
          key: z.string().min(1).max(100),
          q: z.string().trim().max(200).default(''),
          lang: z.string().max(20).optional(),
          limit: z.coerce.number().int().min(1).max(10).default(8),
        }),
        response: { 200: WidgetKbSearchResult },
      },
    },
    async (req, reply) => {
      const widget = await findActiveWidget(deps.db, req.query.key);
      if (!widget?.options.kb) throw widgetNotFound();
      reply.header('cache-control', 'no-store');
      if (req.query.q === '') return { items: [], searchId: null };
      // the visitor (optional here) lets the log keep one row per question instead of one per keystroke
      const raw = req.headers['x-seva-visitor'];
      const visitor = typeof raw === 'string' && raw !== '' ? await findVisitorByToken(deps.db, raw) : null;
      const result = await searchKbForWidget(deps.db, {
        query: req.query.q,
        locale: kbLocale(req.query.lang),
        limit: req.query.limit,
        visitorId: visitor && visitor.widget.id === widget.id ? visitor.visitor.id : null,
        now: deps.clock.now(),
      });
      return {
        searchId: result.searchId,
        items: result.items.map((h) => ({
          id: h.id,
          title: h.title,
          snippet: h.snippet,
          url: h.url,
          language: h.locale,
        })),
      };
    },
  );

  r.get(
    '/kb/articles/:id',
    {
      config: PUBLIC,
      schema: { tags, params: ArticleParams, querystring: WidgetKbArticleQuery, response: { 200: WidgetKbArticle } },
    },
    async (req, reply) => {
      const { widget } = await requireKbVisitor(app, req);
      const opened = await openArticleForWidget(deps, {
        articleId: req.params.id,
        locales: [kbLocale(req.query.lang), kbLocale(widget.defaultLanguage)],
        searchId: req.query.searchId,
      });
      if (!opened) throw articleNotFound();
      const { article, url } = opened;
      reply.header('cache-control', 'no-store');
      return {
        id: article.articleId,
        language: article.locale,
        title: article.title,
        bodyHtml: article.bodyHtml,
        url,
        updatedAt: article.updatedAt.toISOString(),
        alternates: article.alternates
          .filter((a) => a.locale !== article.locale)
          .map((a) => ({ language: a.locale, title: a.title })),
      };
    },
  );

  r.post(
    '/kb/articles/:id/feedback',
    {
      config: PUBLIC,
      schema: { tags, params: ArticleParams, body: WidgetKbFeedbackBody, response: { 200: WidgetKbFeedbackResult } },
    },
    async (req) => {
      const { visitor } = await requireKbVisitor(app, req);
      if (!reportsPerVisitor.take(visitor.id)) throw tooMany('reports');
      const locale = kbLocale(req.body.language);
      if (!locale) throw articleNotFound();
      const recorded = await rateArticleFromWidget(deps, {
        articleId: req.params.id,
        locale,
        helpful: req.body.helpful,
        visitorId: visitor.id,
        sessionId: req.body.sessionId,
      });
      if (recorded === null) throw articleNotFound();
      return { recorded };
    },
  );

  r.post('/kb/deflection', { config: PUBLIC, schema: { tags, body: WidgetKbDeflectionBody } }, async (req, reply) => {
    const { visitor } = await requireKbVisitor(app, req);
    if (!reportsPerVisitor.take(visitor.id)) throw tooMany('reports');
    const { language, ...rest } = req.body;
    const locale = kbLocale(language);
    await recordWidgetDeflection(deps, { ...rest, ...(locale ? { locale } : {}) });
    return reply.status(204).send();
  });
}
