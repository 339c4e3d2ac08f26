import {
  AutomationIdParams,
  AutomationRule,
  AutomationRuleList,
  AutomationRunList,
  CreateAutomationBody,
  TicketIdParams,
  UpdateAutomationBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { notFound } from '../../platform/errors.ts';
import { findVisibleTicket } from '../tickets/index.ts';
import { createRule, deleteRule, listRules, listRuns, updateRule } from './rules.service.ts';

const tags = ['automations'];
const admin = { policy: 'settings:manage' } as const;

export async function automationsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;

  r.get(
    '/automations',
    {
      config: { policy: 'tickets:read' },
      schema: { tags, summary: 'Triggers and timed automations', querystring: z.object({ kind: z.enum(['trigger', 'automation']).optional() }), response: { 200: AutomationRuleList } },
    },
    async (req) => ({ items: await listRules(db, req.query.kind) }),
  );
  r.post('/automations', { config: admin, schema: { tags, summary: 'Create a trigger or automation', body: CreateAutomationBody, response: { 201: AutomationRule } } }, async (req, reply) => {
    const actor = requireActor(req);
    return reply.status(201).send(await db.transaction((tx) => createRule(tx, { actor, body: req.body, now: clock.now() })));
  });
  r.patch(
    '/automations/:id',
    { config: admin, schema: { tags, summary: 'Change a rule', params: AutomationIdParams, body: UpdateAutomationBody, response: { 200: AutomationRule } } },
    async (req) => {
      const actor = requireActor(req);
      return db.transaction((tx) => updateRule(tx, { actor, id: req.params.id, body: req.body, now: clock.now() }));
    },
  );
  r.delete('/automations/:id', { config: admin, schema: { tags, summary: 'Delete a rule and its log', params: AutomationIdParams } }, async (req, reply) => {
    const actor = requireActor(req);
    await db.transaction((tx) => deleteRule(tx, { actor, id: req.params.id, now: clock.now() }));
    return reply.status(204).send();
  });
  r.get(
    '/automations/:id/runs',
    { config: admin, schema: { tags, summary: "A rule's execution log", params: AutomationIdParams, response: { 200: AutomationRunList } } },
    async (req) => ({ items: await listRuns(db, { ruleId: req.params.id }) }),
  );
  r.get(
    '/tickets/:id/automation-runs',
    { config: { policy: 'tickets:read' }, schema: { tags, summary: 'Which rules ran on a ticket', params: TicketIdParams, response: { 200: AutomationRunList } } },
    async (req) => {
      const actor = requireActor(req);
      const t = await findVisibleTicket(db, actor, req.params.id);
      if (!t) throw notFound('Ticket');
      return { items: await listRuns(db, { ticketId: t.id }) };
    },
  );
}
