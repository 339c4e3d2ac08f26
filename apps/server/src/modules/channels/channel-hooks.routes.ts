import { createReadStream } from 'node:fs';
import { ApiChannelInboundMessage, ApiChannelInboundResult, ApiChannelReceipt } from '@seva/contracts';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attachments, channelDeliveries, channels } from '../../platform/db/schema/index.ts';
import { attachmentPath, contentDisposition, servedContentType } from '../attachments/index.ts';
import { verifyMediaLink } from './media-links.ts';
import { AppError } from '../../platform/errors.ts';
import type { ChannelRow, HookRequest } from './adapters/adapter.ts';
import { adapterFor } from './adapters/index.ts';
import { openCredentials } from './channel-credentials.ts';
import type { ChannelsRuntime } from './channels-runtime.ts';
import { ingestChannelEvents } from './ingest-channel-events.ts';
import { sevaSignature } from './adapters/signatures.ts';
import { safeEqual } from './adapters/signatures.ts';

const Params = z.object({ id: z.uuid() });
const HOOK_BODY_LIMIT = 40 * 1024 * 1024;

const SignedHeaders = z.object({
  'x-seva-timestamp': z.string().optional().meta({ description: 'Unix seconds; refused when more than 5 minutes off', example: '1767225600' }),
  'x-seva-signature': z
    .string()
    .optional()
    .meta({ description: 'sha256=<hex HMAC-SHA256(channel secret, "<timestamp>.<raw body>")>', example: 'sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }),
});

const unauthorised = () => new AppError('UNAUTHENTICATED', 'Missing or invalid signature');

/**
 * Provider and app webhooks, outside /api/v1: they authenticate by signature, never by session.
 *   GET  /hooks/channels/:id            Meta verify-token handshake (WhatsApp, Messenger, Instagram)
 *   POST /hooks/channels/:id            provider webhooks (Twilio, Meta, Telegram) and Twilio status callbacks
 *   POST /hooks/channels/:id/status     Twilio status callbacks (alias)
 *   POST /hooks/channels/:id/messages   the API channel: a message from your app
 *   POST /hooks/channels/:id/receipts   the API channel: delivery/read receipts for Seva's messages
 * A request with a bad signature is refused with 401 and stores nothing; a paused channel answers 503.
 */
export async function channelHooksRoutes(app: FastifyInstance, opts: { runtime: ChannelsRuntime }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const rt = opts.runtime;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: HOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));

  // the body is verified against its signature as raw bytes, then parsed: the zod body schema is for the docs
  const rawBodyValidator = ((route: Parameters<typeof validatorCompiler>[0]) =>
    route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : validatorCompiler(route)) as never;

  async function loadChannel(id: string): Promise<ChannelRow> {
    const [row] = await app.deps.db.select().from(channels).where(eq(channels.id, id));
    if (!row) throw unauthorised();
    return row;
  }

  function hookRequest(req: FastifyRequest): HookRequest {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const ct = String(req.headers['content-type'] ?? '');
    const form = ct.includes('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(rawBody.toString('utf8'))) : undefined;
    return { rawBody, headers: req.headers, url: `${req.protocol}://${req.host}${req.url}`, ...(form ? { form } : {}) };
  }

  async function receive(req: FastifyRequest, reply: FastifyReply, channelId: string, expectKind?: 'api') {
    const channel = await loadChannel(channelId);
    if (expectKind && channel.kind !== expectKind) throw unauthorised();
    if (!expectKind && channel.kind === 'api') throw unauthorised();
    const hook = hookRequest(req);
    const adapter = adapterFor(channel.kind);
    if (!adapter.verify(hook, channel, openCredentials(rt.box, channel), Date.now())) throw unauthorised();
    if (channel.status === 'paused') {
      // the provider (or app) retries later; nothing is lost and nothing is stored now
      void reply.header('retry-after', '300');
      throw new AppError('UNAVAILABLE', 'This channel is paused');
    }
    const events = adapter.parse(hook, channel);
    const result = await ingestChannelEvents(
      { pool: app.deps.database.pool, jobs: rt.jobs, config: app.deps.config, now: app.deps.clock.now() },
      channel,
      events,
    );
    return { channel, result };
  }

  r.get(
    '/hooks/channels/:id',
    {
      config: { rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        hide: true,
        params: Params,
        querystring: z.object({ 'hub.mode': z.string().optional(), 'hub.verify_token': z.string().optional(), 'hub.challenge': z.string().max(200).optional() }),
      },
    },
    async (req, reply) => {
      const channel = await loadChannel(req.params.id).catch(() => null);
      const q = req.query;
      const token = channel ? openCredentials(rt.box, channel).verifyToken : undefined;
      if (!channel || !token || q['hub.mode'] !== 'subscribe' || !q['hub.verify_token'] || !safeEqual(q['hub.verify_token'], token)) {
        return reply.code(403).type('text/plain').send('Forbidden');
      }
      // echo the challenge as plain text (digits in practice): never reflected as HTML
      return reply.code(200).type('text/plain').send((q['hub.challenge'] ?? '').replace(/[^\w.-]/g, ''));
    },
  );

  const providerHook = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const { channel } = await receive(req, reply, req.params.id);
    if (channel.kind === 'sms') {
      // an empty TwiML document: no automatic answer
      return reply.code(200).type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    }
    if (channel.kind === 'telegram') return reply.code(200).send({ ok: true });
    return reply.code(200).type('text/plain').send('EVENT_RECEIVED');
  };
  const hookOpts = { bodyLimit: HOOK_BODY_LIMIT, config: { rateLimit: { max: 1200, timeWindow: 60_000 } }, schema: { hide: true, params: Params } };
  r.post('/hooks/channels/:id', hookOpts, providerHook);
  r.post('/hooks/channels/:id/status', hookOpts, providerHook);

  r.post(
    '/hooks/channels/:id/messages',
    {
      bodyLimit: HOOK_BODY_LIMIT,
      config: { rateLimit: { max: 1200, timeWindow: 60_000 } },
      validatorCompiler: rawBodyValidator,
      schema: {
        tags: ['channel hooks'],
        summary: 'API channel: receive a message from your app',
        description:
          'Send a customer message from your app or bot. Sign the exact body bytes: `x-seva-signature: sha256=<hex HMAC-SHA256(secret, "<x-seva-timestamp>.<body>")>` with the channel secret (POST /api/v1/channels/:id/secret). ' +
          'Idempotent on `messageId`: a retry answers `duplicate: true` and stores nothing new. A new `user.id` starts a conversation; later messages continue the open one. ' +
          'Seva POSTs every public agent reply to the channel callback URL, signed the same way, with `x-seva-delivery-id` and `idempotency-key` headers; answer 2xx (optionally `{ "status": "delivered" }`), anything else is retried with backoff. ' +
          'Report later receipts with POST /hooks/channels/:id/receipts.',
        security: [],
        params: Params,
        headers: SignedHeaders,
        body: ApiChannelInboundMessage.meta({
          examples: [
            {
              messageId: 'app-msg-8812',
              user: { id: 'user-42', name: 'Asha Rahman', email: 'asha@example.com', verified: true, locale: 'bn' },
              text: 'আমার অর্ডার এখনও আসেনি',
            },
          ],
        }),
        response: {
          202: ApiChannelInboundResult.meta({
            examples: [{ ticketId: '0b8f6b0e-8a43-4d8e-9d58-2f6a4a1d2c11', ticketNumber: 1042, messageId: '5c1d4d7e-3a0b-4f51-8d9e-0b7c2d3e4f50', duplicate: false }],
          }),
        },
      },
    },
    async (req, reply) => {
      const { result } = await receive(req, reply, req.params.id, 'api');
      const m = result.messages[0];
      if (!m) throw new AppError('BAD_REQUEST', 'No message in the body');
      return reply.code(202).send({ ticketId: m.ticketId, ticketNumber: m.ticketNumber, messageId: m.messageId, duplicate: m.duplicate });
    },
  );

  r.post(
    '/hooks/channels/:id/receipts',
    {
      config: { rateLimit: { max: 1200, timeWindow: 60_000 } },
      validatorCompiler: rawBodyValidator,
      schema: {
        tags: ['channel hooks'],
        summary: 'API channel: report delivery or read of a message Seva sent',
        description: 'Signed like /messages. `messageId` is the `id` of the message Seva posted to your callback. States only move forward (delivered → read).',
        security: [],
        params: Params,
        headers: SignedHeaders,
        body: ApiChannelReceipt.meta({ examples: [{ messageId: '5c1d4d7e-3a0b-4f51-8d9e-0b7c2d3e4f50', status: 'read' }] }),
        response: { 200: z.object({ updated: z.number().int() }) },
      },
    },
    async (req, reply) => {
      const { result } = await receive(req, reply, req.params.id, 'api');
      return reply.code(200).send({ updated: result.receipts });
    },
  );
}

export { sevaSignature as signChannelBody };

/**
 * GET /hooks/channels/:id/media/:attachmentId?e=&s= — an agent's attachment for the channel's provider, through a
 * signed, time-limited link (see media-links.ts). Only attachments of messages this channel delivered; always served
 * as a download with nosniff, never rendered.
 */
export async function channelMediaRoutes(app: FastifyInstance, opts: { runtime: ChannelsRuntime }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/hooks/channels/:id/media/:attachmentId',
    {
      config: { rateLimit: { max: 600, timeWindow: 60_000 } },
      schema: {
        hide: true,
        params: z.object({ id: z.uuid(), attachmentId: z.uuid() }),
        querystring: z.object({ e: z.string().max(20), s: z.string().max(128) }),
      },
    },
    async (req, reply) => {
      const denied = new AppError('NOT_FOUND', 'Not found');
      const [channel] = await app.deps.db.select().from(channels).where(eq(channels.id, req.params.id));
      const key = channel ? openCredentials(opts.runtime.box, channel).mediaKey : undefined;
      if (!channel || !key || !verifyMediaLink(key, channel.id, req.params.attachmentId, req.query.e, req.query.s, app.deps.clock.now().getTime())) throw denied;
      const [row] = await app.deps.db
        .select({ sha256: attachments.sha256, sizeBytes: attachments.sizeBytes, contentType: attachments.contentType, filename: attachments.filename })
        .from(attachments)
        .innerJoin(channelDeliveries, and(eq(channelDeliveries.messageId, attachments.messageId), eq(channelDeliveries.channelId, channel.id)))
        .where(eq(attachments.id, req.params.attachmentId))
        .limit(1);
      if (!row) throw denied;
      return reply
        .header('content-type', servedContentType(row.contentType))
        .header('content-length', String(row.sizeBytes))
        .header('content-disposition', contentDisposition(row.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(createReadStream(attachmentPath(app.deps.config.dataDir, row.sha256)));
    },
  );
}
