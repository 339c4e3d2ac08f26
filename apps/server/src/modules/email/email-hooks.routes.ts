import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eq, sql } from 'drizzle-orm';
import { mailboxes } from '../../platform/db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { EmailRuntime } from './email-runtime.ts';
import { storeInboundEmail } from './store-inbound-email.ts';

/** a signature older or newer than this is refused (replay protection) */
const MAX_SKEW_SECONDS = 300;

export function signHookBody(secret: string, timestamp: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/**
 * POST /hooks/email/:mailbox — for providers that forward mail over HTTP. The body is the raw MIME message
 * (message/rfc822 or application/octet-stream); `x-seva-timestamp` (unix seconds) and
 * `x-seva-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` prove it came from whoever holds the
 * mailbox's hook secret. Answers 202 once the message is committed (same guarantee as SMTP 250).
 */
export async function emailHooksRoutes(app: FastifyInstance, opts: { runtime: EmailRuntime }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const limit = app.deps.config.smtpMaxMessageBytes;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) => done(null, body));

  r.post(
    '/hooks/email/:mailbox',
    {
      bodyLimit: limit,
      config: { rateLimit: { max: 600, timeWindow: 60_000 } },
      schema: {
        hide: true,
        params: z.object({ mailbox: z.string().min(1).max(254) }),
        response: { 202: z.object({ id: z.string(), duplicate: z.boolean() }) },
      },
    },
    async (req, reply) => {
      const body = req.body as Buffer;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('BAD_REQUEST', 'Send the raw MIME message as the body');
      const key = req.params.mailbox.toLowerCase();
      const isId = /^[0-9a-f-]{36}$/.test(key);
      const [mailbox] = await app.deps.db
        .select()
        .from(mailboxes)
        .where(isId ? eq(mailboxes.id, key) : sql`lower(${mailboxes.address}) = ${key}`)
        .limit(1);
      const unauthorised = new AppError('UNAUTHENTICATED', 'Missing or invalid signature');
      if (!mailbox || !mailbox.hookSecretEnc || mailbox.status === 'disabled') throw unauthorised;
      const ts = req.headers['x-seva-timestamp'];
      const sig = req.headers['x-seva-signature'];
      if (typeof ts !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(ts)) throw unauthorised;
      if (Math.abs(Date.now() / 1000 - Number(ts)) > MAX_SKEW_SECONDS) throw unauthorised;
      const expected = Buffer.from(signHookBody(opts.runtime.box.open(mailbox.hookSecretEnc), ts, body));
      const given = Buffer.from(sig);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthorised;
      const stored = await storeInboundEmail(
        { pool: app.deps.database.pool, wake: () => opts.runtime.wakeInbound() },
        { mailboxId: mailbox.id, source: 'hook', envelopeFrom: '', envelopeTo: [mailbox.address], remoteAddress: req.ip, raw: body },
      );
      return reply.code(202).send(stored);
    },
  );
}
