import {
  BulkUpdateTicketsBody,
  BulkUpdateTicketsResult,
  CollaboratorBody,
  CollaboratorList,
  CollaboratorParams,
  CreateTicketBody,
  ListTicketsQuery,
  MergeTicketBody,
  NotifyIncidentsBody,
  NotifyIncidentsResult,
  SplitTicketBody,
  Ticket,
  TicketCounts,
  TicketEventList,
  TicketIdParams,
  TicketList,
  UpdateTicketBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { countTicketsByView, listTickets } from './list-tickets.ts';
import { mergeTickets } from './merge-tickets.ts';
import { listTicketEvents } from './messages.service.ts';
import { splitTicket } from './split-ticket.ts';
import { addCollaborator, listCollaborators, removeCollaborator } from './ticket-collaborators.service.ts';
import { ticketNotFound } from './tickets.errors.ts';
import { loadTicketDtoByRef } from './tickets.repository.ts';
import { bulkUpdateTickets, createTicket, notifyIncidents, updateTicket } from './tickets.service.ts';

const tags = ['tickets'];

export async function ticketsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;

  r.get(
    '/tickets',
    {
      config: { policy: 'tickets:read' },
      schema: { tags, summary: 'List tickets', querystring: ListTicketsQuery, response: { 200: TicketList } },
    },
    async (req) => listTickets(deps.db, requireActor(req), req.query),
  );

  r.post(
    '/tickets',
    {
      config: { policy: 'tickets:create' },
      schema: { tags, summary: 'Open a ticket', body: CreateTicketBody, response: { 201: Ticket } },
    },
    async (req, reply) =>
      reply.status(201).send(await createTicket(deps, { actor: requireActor(req), body: req.body })),
  );

  r.get(
    '/tickets/counts',
    {
      config: { policy: 'tickets:read' },
      schema: { tags, summary: 'Unresolved tickets per view', response: { 200: TicketCounts } },
    },
    async (req) => countTicketsByView(deps.db, requireActor(req)),
  );

  r.post(
    '/tickets/bulk-update',
    {
      config: { policy: 'tickets:update' },
      schema: {
        tags,
        summary: 'Apply one change to many tickets',
        body: BulkUpdateTicketsBody,
        response: { 200: BulkUpdateTicketsResult },
      },
    },
    async (req) =>
      bulkUpdateTickets(deps, { actor: requireActor(req), ticketIds: req.body.ticketIds, changes: req.body.changes }),
  );

  r.get(
    '/tickets/:id',
    {
      config: { policy: 'tickets:read' },
      schema: { tags, summary: 'A ticket, by UUID or number', params: TicketIdParams, response: { 200: Ticket } },
    },
    async (req) => {
      const dto = await loadTicketDtoByRef(deps.db, requireActor(req), req.params.id);
      if (!dto) throw ticketNotFound();
      return dto;
    },
  );

  r.patch(
    '/tickets/:id',
    {
      config: { policy: 'tickets:update' },
      schema: {
        tags,
        summary: 'Change a ticket',
        params: TicketIdParams,
        body: UpdateTicketBody,
        response: { 200: Ticket },
      },
    },
    async (req) => updateTicket(deps, { actor: requireActor(req), ref: req.params.id, changes: req.body }),
  );

  r.get(
    '/tickets/:id/events',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: 'What happened on a ticket',
        params: TicketIdParams,
        response: { 200: TicketEventList },
      },
    },
    async (req) => ({ items: await listTicketEvents(deps, { actor: requireActor(req), ref: req.params.id }) }),
  );

  r.post(
    '/tickets/:id/merge',
    {
      config: { policy: 'tickets:merge' },
      schema: {
        tags,
        summary: 'Merge this ticket into another',
        params: TicketIdParams,
        body: MergeTicketBody,
        response: { 200: Ticket },
      },
    },
    async (req) =>
      mergeTickets(deps, { actor: requireActor(req), sourceRef: req.params.id, targetRef: req.body.targetTicketId }),
  );

  r.post(
    '/tickets/:id/split',
    {
      config: { policy: 'tickets:merge' },
      schema: {
        tags,
        summary: 'Move one message into a new ticket',
        params: TicketIdParams,
        body: SplitTicketBody,
        response: { 201: Ticket },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await splitTicket(deps, {
          actor: requireActor(req),
          ref: req.params.id,
          messageId: req.body.messageId,
          subject: req.body.subject,
        }),
      ),
  );

  r.get(
    '/tickets/:id/collaborators',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: 'Staff brought in on a ticket',
        params: TicketIdParams,
        response: { 200: CollaboratorList },
      },
    },
    async (req) => ({ items: await listCollaborators(deps.db, requireActor(req), req.params.id) }),
  );

  r.post(
    '/tickets/:id/collaborators',
    {
      config: { policy: 'tickets:update' },
      schema: {
        tags,
        summary: 'Bring a staff member in on a ticket',
        params: TicketIdParams,
        body: CollaboratorBody,
        response: { 200: CollaboratorList },
      },
    },
    async (req) => ({
      items: await addCollaborator(deps, { actor: requireActor(req), ref: req.params.id, userId: req.body.userId }),
    }),
  );

  r.delete(
    '/tickets/:id/collaborators/:userId',
    {
      config: { policy: 'tickets:update' },
      schema: {
        tags,
        summary: 'Take a staff member off a ticket',
        params: CollaboratorParams,
        response: { 200: CollaboratorList },
      },
    },
    async (req) => ({
      items: await removeCollaborator(deps, {
        actor: requireActor(req),
        ref: req.params.id,
        userId: req.params.userId,
      }),
    }),
  );

  r.post(
    '/tickets/:id/notify-incidents',
    {
      config: { policy: 'tickets:update' },
      schema: {
        tags,
        summary: 'Reply to every open incident of a problem',
        params: TicketIdParams,
        body: NotifyIncidentsBody,
        response: { 200: NotifyIncidentsResult },
      },
    },
    async (req) =>
      notifyIncidents(deps, { actor: requireActor(req), ref: req.params.id, body: req.body.body, html: req.body.html }),
  );
}
