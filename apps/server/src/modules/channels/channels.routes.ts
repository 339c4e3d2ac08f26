import { channelCosts, customerChannelContacts, listDeliveries } from './channel-activity.ts';
import {
  ChannelContactParams,
  ChannelCostReport,
  ChannelDelivery,
  ChannelDeliveryList,
  ChannelIdParams,
  ChannelSecret,
  ChannelTestMessageBody,
  CreateChannelBody,
  CreatedMessagingChannel,
  CustomerChannelContactList,
  MergeChannelContactBody,
  MergedChannelContact,
  MessagingChannel,
  MessagingChannelList,
  MoveToEmailBody,
  SentInteractiveMessage,
  TicketChannelInfo,
  UpdateChannelBody,
  WhatsappInteractiveBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import {
  type ChannelsServiceDeps,
  createChannel,
  deleteChannel,
  getChannel,
  hookPathFor,
  listChannels,
  rotateChannelSecret,
  sendTestMessage,
  toChannelDto,
  toDeliveryDto,
  updateChannel,
} from './channels.service.ts';
import type { ChannelsRuntime } from './channels-runtime.ts';
import { mergeChannelContact } from './merge-channel-contact.ts';
import { sendInteractiveMessage } from './send-interactive-message.ts';
import { getTicketChannelInfo, moveConversationToEmail } from './ticket-channel.service.ts';

/** Admin API for messaging channels (under /api/v1). */
export async function channelsRoutes(app: FastifyInstance, opts: { runtime: ChannelsRuntime }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const rt = opts.runtime;
  const deps = (): ChannelsServiceDeps => ({
    db: app.deps.db,
    pool: app.deps.database.pool,
    box: rt.box,
    jobs: rt.jobs,
    now: () => app.deps.clock.now(),
    allowLoopbackPorts: rt.net.allowLoopbackPorts ?? [],
  });
  const dto = (row: Parameters<typeof toChannelDto>[1]) => toChannelDto(rt.box, row);
  const tags = ['channels'];

  r.get(
    '/channels',
    { config: { policy: 'settings:manage' }, schema: { tags, response: { 200: MessagingChannelList } } },
    async () => ({
      items: (await listChannels(app.deps.db)).map(dto),
    }),
  );

  r.post(
    '/channels',
    {
      config: { policy: 'settings:manage' },
      schema: { tags, body: CreateChannelBody, response: { 201: CreatedMessagingChannel } },
    },
    async (req, reply) => {
      const { row, secret } = await createChannel(deps(), { actor: requireActor(req), body: req.body });
      return reply.code(201).send({ ...dto(row), secret });
    },
  );

  r.get(
    '/channels/costs',
    {
      config: { policy: 'reports:read' },
      schema: {
        tags,
        querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }),
        response: { 200: ChannelCostReport },
      },
    },
    async (req) => ({
      items: await channelCosts(app.deps.db, new Date(app.deps.clock.now().getTime() - req.query.days * 86_400_000)),
    }),
  );

  r.get(
    '/channels/contacts',
    {
      config: { policy: 'customers:read' },
      schema: { tags, querystring: z.object({ customerId: z.uuid() }), response: { 200: CustomerChannelContactList } },
    },
    async (req) => ({
      items: (await customerChannelContacts(app.deps.db, req.query.customerId)).map((c) => ({
        ...c,
        channelKind: c.channelKind as z.infer<typeof CustomerChannelContactList>['items'][number]['channelKind'],
        lastInboundAt: c.lastInboundAt?.toISOString() ?? null,
      })),
    }),
  );

  // moving one contact to another customer: admins and supervisors (checked in the service)
  r.post(
    '/channels/contacts/:contactId/merge',
    {
      config: { policy: 'customers:merge' },
      schema: {
        tags,
        params: ChannelContactParams,
        body: MergeChannelContactBody,
        response: { 200: MergedChannelContact },
      },
    },
    async (req) =>
      mergeChannelContact(app.deps.db, {
        actor: requireActor(req),
        contactId: req.params.contactId,
        customerId: req.body.customerId,
        now: app.deps.clock.now(),
      }),
  );

  r.get(
    '/channels/:id',
    {
      config: { policy: 'settings:manage' },
      schema: { tags, params: ChannelIdParams, response: { 200: MessagingChannel } },
    },
    async (req) => dto(await getChannel(app.deps.db, req.params.id)),
  );

  r.patch(
    '/channels/:id',
    {
      config: { policy: 'settings:manage' },
      schema: { tags, params: ChannelIdParams, body: UpdateChannelBody, response: { 200: MessagingChannel } },
    },
    async (req) => dto(await updateChannel(deps(), { actor: requireActor(req), id: req.params.id, body: req.body })),
  );

  r.delete(
    '/channels/:id',
    { config: { policy: 'settings:manage' }, schema: { tags, params: ChannelIdParams } },
    async (req, reply) => {
      await deleteChannel(deps(), { actor: requireActor(req), id: req.params.id });
      return reply.code(204).send();
    },
  );

  r.post(
    '/channels/:id/secret',
    {
      config: { policy: 'settings:manage' },
      schema: { tags, params: ChannelIdParams, response: { 200: ChannelSecret } },
    },
    async (req) => {
      const { row, secret } = await rotateChannelSecret(deps(), { actor: requireActor(req), id: req.params.id });
      return { secret, hookPath: hookPathFor(row) };
    },
  );

  r.post(
    '/channels/:id/test',
    {
      config: { policy: 'settings:manage' },
      schema: { tags, params: ChannelIdParams, body: ChannelTestMessageBody, response: { 202: ChannelDelivery } },
    },
    async (req, reply) =>
      reply
        .code(202)
        .send(await sendTestMessage(deps(), { actor: requireActor(req), id: req.params.id, body: req.body })),
  );

  r.get(
    '/channels/:id/deliveries',
    {
      config: { policy: 'settings:manage' },
      schema: {
        tags,
        params: ChannelIdParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          status: z.enum(['queued', 'sent', 'delivered', 'read', 'failed']).optional(),
        }),
        response: { 200: ChannelDeliveryList },
      },
    },
    async (req) => ({ items: (await listDeliveries(app.deps.db, req.params.id, req.query)).map(toDeliveryDto) }),
  );
}

/** Per-ticket channel routes (under /api/v1): where the conversation runs, and moving it to email. */
export async function ticketChannelRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = z.object({ ticketId: z.string().min(1).max(64) });
  r.get(
    '/channels/tickets/:ticketId',
    {
      config: { policy: 'tickets:read' },
      schema: { tags: ['channels'], params: Params, response: { 200: TicketChannelInfo } },
    },
    async (req) => getTicketChannelInfo(app.deps.db, requireActor(req), req.params.ticketId),
  );
  r.post(
    '/channels/tickets/:ticketId/move-to-email',
    {
      config: { policy: 'tickets:update' },
      schema: { tags: ['channels'], params: Params, body: MoveToEmailBody, response: { 200: TicketChannelInfo } },
    },
    async (req) =>
      moveConversationToEmail(app.deps.db, {
        actor: requireActor(req),
        ticketRef: req.params.ticketId,
        email: req.body.email,
        now: app.deps.clock.now(),
      }),
  );
  r.post(
    '/channels/tickets/:ticketId/interactive',
    {
      config: { policy: 'tickets:reply' },
      schema: {
        tags: ['channels'],
        params: Params,
        body: WhatsappInteractiveBody,
        response: { 201: SentInteractiveMessage },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await sendInteractiveMessage(app.deps.db, {
          actor: requireActor(req),
          ticketRef: req.params.ticketId,
          body: req.body,
          now: app.deps.clock.now(),
        }),
      ),
  );
}
