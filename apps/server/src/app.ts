import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import { createResponseSerializer } from './platform/response-serializer.ts';
import { adminModule } from './modules/admin/index.ts';
import { attachmentsModule } from './modules/attachments/index.ts';
import { authModule } from './modules/auth/index.ts';
import { customersModule } from './modules/customers/index.ts';
import { classifierModule } from './modules/classifier/index.ts';
import { insightsModule } from './modules/insights/index.ts';
import { qualityModule } from './modules/quality/index.ts';
import { surveyPublicModule, surveysModule } from './modules/surveys/index.ts';
import { improveModule } from './modules/improve/index.ts';
import { helpCentreModule, kbModule } from './modules/kb/index.ts';
import { emailHooksModule, emailModule } from './modules/email/index.ts';
import { channelHooksModule, channelsModule } from './modules/channels/index.ts';
import { slaModule } from './modules/sla/index.ts';
import { webhooksModule } from './modules/webhooks/index.ts';
import { automationsModule } from './modules/automations/index.ts';
import { macrosModule } from './modules/macros/index.ts';
import { notificationsModule } from './modules/notifications/index.ts';
import { routingModule } from './modules/routing/index.ts';
import { realtimeModule } from './modules/realtime/index.ts';
import { searchModule } from './modules/search/index.ts';
import { staffModule } from './modules/staff/index.ts';
import { systemModule } from './modules/system/index.ts';
import { ticketsModule } from './modules/tickets/index.ts';
import { tokensModule } from './modules/tokens/index.ts';
import { webModule } from './modules/web/index.ts';
import { chatModule } from './modules/chat/index.ts';
import { widgetModule } from './modules/widget/index.ts';
import { widgetAssetsModule } from './modules/widget-assets/index.ts';
import { authPlugin } from './platform/auth/authenticate.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import { onAfterCommitError } from './platform/db/before-commit.ts';
import type { Database } from './platform/db/client.ts';
import type { Deps } from './platform/deps.ts';
import { registerErrorHandling } from './platform/http-errors.ts';
import { loggerOptions } from './platform/logger.ts';
import { checkTicketSnapshots } from './platform/new-ticket-snapshot.ts';

export interface BuildAppOptions {
  config: Config;
  database: Database;
  clock?: Clock;
  /** false in tests unless a test wants the logs */
  logger?: boolean;
}

/** Builds the Seva HTTP application. Never listens: main.ts does that, tests use app.inject(). */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === false ? false : loggerOptions(opts.config.logLevel),
    trustProxy: true,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // zod checks every response; under test each is also compared with the encoding the library would do
  app.setSerializerCompiler(createResponseSerializer({ verify: opts.config.env === 'test' }));
  // under test every use of a new ticket's snapshot is compared with the database (platform/new-ticket-snapshot.ts)
  checkTicketSnapshots(opts.config.env === 'test');

  const deps: Deps = {
    config: opts.config,
    database: opts.database,
    db: opts.database.db,
    clock: opts.clock ?? systemClock,
  };
  app.decorate('deps', deps);
  // work after a commit (the NOTIFY of its events) cannot fail the request that committed; it is logged
  onAfterCommitError((err) => app.log.error({ err }, 'after-commit work failed'));

  registerErrorHandling(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Seva API',
        version: '1.0.0',
        description:
          'The Seva help desk API. Authenticate with a session cookie (plus the x-csrf-token header on writes) or ' +
          'with `Authorization: Bearer <token>` (create one with `npx seva token create`). Errors are application/problem+json.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'seva_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    max: opts.config.rateLimitPerMinute,
    timeWindow: 60_000,
  });
  await app.register(multipart, { limits: { fileSize: opts.config.maxAttachmentBytes, files: 10 } });
  await app.register(websocket, { options: { maxPayload: 256 * 1024 } });
  await app.register(authPlugin, {
    db: deps.db,
    clock: deps.clock,
    databaseUrl: deps.database.url,
    cacheCredentials: opts.config.credentialCache,
  });
  await app.register(systemModule); // first, so its metrics hook times every route

  // Every /api/v1 route is rate-limited per actor (token or session) or per IP, with standard headers.
  await app.register(
    async (api) => {
      await api.register(rateLimit, {
        max: opts.config.rateLimitPerMinute,
        timeWindow: 60_000,
        // IETF RateLimit header fields (ratelimit-limit, ratelimit-remaining, ratelimit-reset, retry-after)
        enableDraftSpec: true,
        // The auth hook (root scope) has already resolved the actor: limit per staff member, else per IP.
        keyGenerator: (req) => (req.actor ? `staff:${req.actor.userId}:${req.actor.via}` : `ip:${req.ip}`),
      });
      await api.register(authModule);
      await api.register(staffModule);
      await api.register(tokensModule);
      await api.register(ticketsModule);
      await api.register(slaModule);
      await api.register(webhooksModule);
      await api.register(automationsModule);
      await api.register(macrosModule);
      await api.register(routingModule);
      await api.register(emailModule);
      await api.register(channelsModule);
      await api.register(customersModule);
      await api.register(searchModule);
      await api.register(kbModule);
      await api.register(improveModule);
      await api.register(adminModule);
      await api.register(attachmentsModule);
      await api.register(realtimeModule);
      await api.register(insightsModule);
      await api.register(surveysModule);
      await api.register(classifierModule);
      await api.register(qualityModule);
      await api.register(notificationsModule);
      await api.register(chatModule);
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api/v1' },
  );

  await app.register(emailHooksModule);
  await app.register(channelHooksModule);
  await app.register(helpCentreModule);
  await app.register(surveyPublicModule);
  await app.register(widgetModule, { prefix: '/widget/v1' });
  await app.register(widgetAssetsModule);
  await app.register(webModule);
  return app;
}
