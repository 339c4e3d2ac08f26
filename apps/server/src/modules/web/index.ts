import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { serverPath } from '../../platform/server-root.ts';
import { applyHtmlSecurityHeaders, isHtmlReply } from './html-security-headers.ts';
import { acceptsHtml, isReservedPath, notBuiltPage, topLevelFileName } from './spa-routing.ts';

export { applyHtmlSecurityHeaders, CONTENT_SECURITY_POLICY, HTML_SECURITY_HEADERS } from './html-security-headers.ts';

/** apps/web/dist, built by Vite (`npm run build`). */
export const DEFAULT_WEB_DIST = serverPath('..', 'web', 'dist');

export interface WebModuleOptions {
  /** where the built web app lives (tests point this elsewhere) */
  distDir?: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The web module: serves the agent app. Hashed files under /assets are cached for a year; index.html is
 * revalidated on every load so a deploy shows at once; any other browser navigation outside the server's own
 * prefixes gets index.html (the app routes on the client). Every HTML answer carries a strict CSP.
 */
export async function webModule(app: FastifyInstance, opts: WebModuleOptions = {}): Promise<void> {
  const distDir = opts.distDir ?? DEFAULT_WEB_DIST;
  const built = existsSync(path.join(distDir, 'index.html'));

  app.addHook('onSend', async (_req, reply, payload) => {
    if (isHtmlReply(reply)) applyHtmlSecurityHeaders(reply);
    return payload;
  });

  if (built) {
    await app.register(fastifyStatic, { root: distDir, serve: false });
    const assetsDir = path.join(distDir, 'assets');
    if (existsSync(assetsDir)) {
      await app.register(fastifyStatic, {
        root: assetsDir,
        prefix: '/assets/',
        decorateReply: false,
        index: false,
        cacheControl: false,
        setHeaders: (res) => res.header('cache-control', IMMUTABLE),
      });
    }
  }

  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const pathname = req.url.split('?')[0] ?? '/';
    if (isReservedPath(pathname)) return reply.callNotFound();
    if (built) {
      const file = topLevelFileName(pathname);
      if (file && (await isFile(path.join(distDir, file)))) {
        return reply.header('cache-control', 'public, max-age=3600').sendFile(file, { cacheControl: false });
      }
    }
    if (pathname !== '/' && !acceptsHtml(req.headers.accept)) return reply.callNotFound();
    return built ? sendIndex(reply) : sendNotBuilt(req, reply);
  });
}

function sendIndex(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-cache')
    .type('text/html; charset=utf-8')
    .sendFile('index.html', { cacheControl: false });
}

function sendNotBuilt(_req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(notBuiltPage());
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
