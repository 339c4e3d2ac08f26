import {
  ActionPlan,
  ActionPlanImpact,
  ActionPlanList,
  ActionPlanTicketList,
  CreateActionPlanBody,
  GeneratePlaybooksBody,
  HandbookQuery,
  ImpactQuery,
  ImproveIdParams,
  Kudos,
  KudosList,
  LinkTicketsBody,
  ListActionPlansQuery,
  ListKudosQuery,
  ListPlaybooksQuery,
  NotifyActionPlanBody,
  NotifyActionPlanResult,
  Playbook,
  PlaybookList,
  SendKudosBody,
  UpdateActionPlanBody,
  UpsertPlaybookBody,
} from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { notFound } from '../../platform/errors.ts';
import {
  actionPlanImpact,
  createActionPlan,
  getActionPlan,
  linkActionPlanTickets,
  listActionPlans,
  listActionPlanTickets,
  notifyActionPlan,
  unlinkActionPlanTicket,
  updateActionPlan,
} from './action-plans.service.ts';
import { renderHandbook } from './handbook.ts';
import { rows } from './improve.repository.ts';
import { listKudos, sendKudos } from './kudos.service.ts';
import { deletePlaybook, generatePlaybooks, listPlaybooks, playbookForTicket, upsertPlaybook } from './playbooks.service.ts';

export async function improveRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;

  // ---- action plans ----
  const plans = ['action-plans'];
  r.get(
    '/action-plans',
    { config: { policy: 'tickets:read' }, schema: { tags: plans, querystring: ListActionPlansQuery, response: { 200: ActionPlanList } } },
    async (req) => listActionPlans(deps, req.query),
  );
  r.post(
    '/action-plans',
    { config: { policy: 'improve:manage' }, schema: { tags: plans, body: CreateActionPlanBody, response: { 201: ActionPlan } } },
    async (req, reply) => reply.status(201).send(await createActionPlan(deps, { actor: requireActor(req), body: req.body })),
  );
  r.get(
    '/action-plans/:id',
    { config: { policy: 'tickets:read' }, schema: { tags: plans, params: ImproveIdParams, response: { 200: ActionPlan } } },
    async (req) => getActionPlan(deps, req.params.id),
  );
  r.patch(
    '/action-plans/:id',
    {
      config: { policy: 'improve:manage' },
      schema: { tags: plans, params: ImproveIdParams, body: UpdateActionPlanBody, response: { 200: ActionPlan } },
    },
    async (req) => updateActionPlan(deps, { actor: requireActor(req), id: req.params.id, body: req.body }),
  );
  r.get(
    '/action-plans/:id/tickets',
    { config: { policy: 'tickets:read' }, schema: { tags: plans, params: ImproveIdParams, response: { 200: ActionPlanTicketList } } },
    async (req) => listActionPlanTickets(deps, requireActor(req), req.params.id),
  );
  r.post(
    '/action-plans/:id/tickets',
    {
      config: { policy: 'improve:manage' },
      schema: { tags: plans, params: ImproveIdParams, body: LinkTicketsBody, response: { 200: ActionPlan } },
    },
    async (req) => linkActionPlanTickets(deps, { actor: requireActor(req), id: req.params.id, tickets: req.body.tickets }),
  );
  r.delete(
    '/action-plans/:id/tickets/:ticketId',
    { config: { policy: 'improve:manage' }, schema: { tags: plans, params: z.object({ id: z.uuid(), ticketId: z.uuid() }) } },
    async (req, reply) => {
      await unlinkActionPlanTicket(deps, { actor: requireActor(req), id: req.params.id, ticketId: req.params.ticketId });
      return reply.status(204).send();
    },
  );
  r.get(
    '/action-plans/:id/impact',
    {
      config: { policy: 'tickets:read' },
      schema: { tags: plans, params: ImproveIdParams, querystring: ImpactQuery, response: { 200: ActionPlanImpact } },
    },
    async (req) => actionPlanImpact(deps, req.params.id, req.query.weeks),
  );
  r.post(
    '/action-plans/:id/notify',
    {
      config: { policy: 'improve:manage' },
      schema: { tags: plans, params: ImproveIdParams, body: NotifyActionPlanBody, response: { 200: NotifyActionPlanResult } },
    },
    async (req) => notifyActionPlan(deps, { actor: requireActor(req), id: req.params.id, body: req.body }),
  );

  // ---- playbooks ----
  const pb = ['playbooks'];
  r.get(
    '/playbooks',
    { config: { policy: 'tickets:read' }, schema: { tags: pb, querystring: ListPlaybooksQuery, response: { 200: PlaybookList } } },
    async (req) => listPlaybooks(deps, req.query),
  );
  r.put(
    '/playbooks',
    { config: { policy: 'improve:manage' }, schema: { tags: pb, body: UpsertPlaybookBody, response: { 200: Playbook } } },
    async (req) => upsertPlaybook(deps, { actor: requireActor(req), body: req.body }),
  );
  r.post(
    '/playbooks/generate',
    { config: { policy: 'improve:manage' }, schema: { tags: pb, body: GeneratePlaybooksBody, response: { 200: PlaybookList } } },
    async (req) => generatePlaybooks(deps, { actor: requireActor(req), locale: req.body.locale, top: req.body.top }),
  );
  r.delete(
    '/playbooks/:id',
    { config: { policy: 'improve:manage' }, schema: { tags: pb, params: ImproveIdParams } },
    async (req, reply) => {
      await deletePlaybook(deps, { actor: requireActor(req), id: req.params.id });
      return reply.status(204).send();
    },
  );
  r.get(
    '/tickets/:ref/playbook',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags: pb,
        params: z.object({ ref: z.string().min(1).max(40) }),
        response: { 200: z.object({ playbook: Playbook.nullable() }) },
      },
    },
    async (req) => ({ playbook: await playbookForTicket(deps, { actor: requireActor(req), ref: req.params.ref }) }),
  );
  r.get(
    '/playbooks/handbook',
    { config: { policy: 'tickets:read' }, schema: { tags: pb, querystring: HandbookQuery } },
    async (req, reply) => {
      const { locale, teamId } = req.query;
      let teamName: string | null = null;
      if (teamId) {
        const [team] = await rows<{ name: string }>(deps.db, sql`SELECT name FROM teams WHERE id = ${teamId}`);
        if (!team) throw notFound('Team');
        teamName = team.name;
      }
      const all = (await listPlaybooks(deps, { locale, status: 'published' })).items;
      const chosen = teamId ? all.filter((p) => p.teamId === null || p.teamId === teamId) : all;
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('x-content-type-options', 'nosniff')
        .send(renderHandbook(locale, teamName, chosen));
    },
  );

  // ---- kudos ----
  const k = ['kudos'];
  r.get(
    '/kudos',
    { config: { policy: 'staff:read' }, schema: { tags: k, querystring: ListKudosQuery, response: { 200: KudosList } } },
    async (req) => listKudos(deps, req.query),
  );
  r.post(
    '/kudos',
    { config: { policy: 'improve:manage' }, schema: { tags: k, body: SendKudosBody, response: { 201: Kudos } } },
    async (req, reply) => reply.status(201).send(await sendKudos(deps, { actor: requireActor(req), body: req.body })),
  );
}
