import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { frameContentSecurityPolicy, mayEmbed } from './embed-policy.ts';
import { findEmbeddableWidget, findFirstActiveWidget } from './widget-assets.repository.ts';
import type { WidgetDist } from './widget-dist.ts';
import { DEMO_CSP, renderDemoPage, renderFrameMessage, renderFramePage } from './widget-pages.ts';
import { choosePageLanguage, PAGE_LANGUAGES, type PageLanguage } from './widget-pages-i18n.ts';

const PUBLIC = { policy: 'public' as const };
const KEY_RE = /^[A-Za-z0-9_-]{1,100}$/;

function queryParam(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
}

/** Seva's own origin(s): the configured public URL and the one this request reached. */
function ownOrigins(app: FastifyInstance, req: FastifyRequest): string[] {
  const out = [`${req.protocol}://${req.host}`];
  const configured = app.deps.config.publicUrl;
  if (configured) {
    try {
      out.push(new URL(configured).origin);
    } catch {
      // validated at boot
    }
  }
  return out;
}

function notBuilt(reply: FastifyReply, language: PageLanguage) {
  return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderFrameMessage(language, 'frameNotBuilt'));
}

/** /widget.js, /widget/launcher, /widget/frame, /widget/assets/* and /widget-demo. */
export async function widgetAssetsRoutes(app: FastifyInstance, opts: { dist: WidgetDist }): Promise<void> {
  const { dist } = opts;
  const { db } = app.deps;

  // The loader: tiny, cached briefly so a deploy reaches every site soon; any site may load it as a script.
  app.get('/widget.js', { config: PUBLIC, schema: { hide: true } }, async (_req, reply) => {
    if (!dist.isBuilt()) return reply.status(503).type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send('/* Seva: the widget is not built yet (npm run build) */\n');
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(createReadStream(dist.loaderPath));
  });

  // What the launcher needs before the frame exists; readable only by pages allowed to embed the widget.
  app.get('/widget/launcher', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const key = queryParam(req, 'key') ?? '';
    const widget = KEY_RE.test(key) ? await findEmbeddableWidget(db, key) : null;
    reply.header('vary', 'Origin').header('cache-control', 'no-store');
    const origin = req.headers.origin;
    if (widget && origin && mayEmbed(origin, widget.allowedOrigins, ownOrigins(app, req))) {
      reply.header('access-control-allow-origin', origin);
    }
    if (!widget) {
      return reply.status(404).type('application/problem+json').send({
        type: 'https://seva.dev/problems/not-found',
        title: 'No active widget has this key',
        status: 404,
        code: 'NOT_FOUND',
        errors: [{ path: 'key', message: 'no active widget has this key' }],
      });
    }
    return {
      primaryColor: /^#[0-9a-f]{6}$/i.test(widget.primaryColor) ? widget.primaryColor : '#1c7ed6',
      position: widget.position === 'left' ? 'left' : 'right',
    };
  });

  // The widget app's page, embeddable only by Seva itself and the widget's allowed origins.
  app.get('/widget/frame', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const langParam = queryParam(req, 'lang')?.slice(0, 2);
    const language = choosePageLanguage(langParam, req.headers['accept-language']);
    const key = queryParam(req, 'key') ?? '';
    const widget = KEY_RE.test(key) ? await findEmbeddableWidget(db, key) : null;
    reply
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()')
      .header('cache-control', 'no-store');
    if (!widget) {
      return reply
        .status(404)
        .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
        .type('text/html; charset=utf-8')
        .send(renderFrameMessage(language, 'frameNotFound'));
    }
    if (!dist.isBuilt()) return notBuilt(reply, language);
    return reply
      .header('content-security-policy', frameContentSecurityPolicy(widget.allowedOrigins))
      .type('text/html; charset=utf-8')
      .send(renderFramePage({ key: widget.publicKey, allowedOrigins: widget.allowedOrigins, language, ...dist.frameEntry() }));
  });

  // /widget-demo: a page that embeds a widget the way a customer's site would.
  app.get('/widget-demo', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const langParam = queryParam(req, 'lang');
    const language = choosePageLanguage(langParam, req.headers['accept-language']);
    const key = queryParam(req, 'key');
    const widget = key ? (KEY_RE.test(key) ? await findEmbeddableWidget(db, key) : null) : await findFirstActiveWidget(db);
    const origin = app.deps.config.publicUrl ? new URL(app.deps.config.publicUrl).origin : `${req.protocol}://${req.host}`;
    return reply
      .status(key && !widget ? 404 : 200)
      .header('content-security-policy', DEMO_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'strict-origin-when-cross-origin')
      .header('x-frame-options', 'DENY')
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(
        renderDemoPage({
          language,
          origin,
          widget: widget ? { key: widget.publicKey, name: widget.name } : null,
          unknownKey: !!key && !widget,
          widgetLanguage: langParam && (PAGE_LANGUAGES as readonly string[]).includes(langParam) ? (langParam as PageLanguage) : null,
        }),
      );
  });

  // The frame's scripts and styles, all content-hashed: cached for good.
  if (!existsSync(dist.frameDir)) return;
  await app.register(fastifyStatic, {
    root: path.resolve(dist.frameDir),
    prefix: '/widget/assets/',
    decorateReply: false,
    index: false,
    wildcard: true,
    cacheControl: false,
    allowedPath: (pathname) => !pathname.includes('..'),
    setHeaders: (res) => {
      res.header('x-content-type-options', 'nosniff');
      res.header('cross-origin-resource-policy', 'same-origin');
      res.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
}
