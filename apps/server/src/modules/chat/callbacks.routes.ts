import { Callback, CallbackList, CallbackListQuery, CallbackPatch, CallLog, CallLogBody, CallLogList, TicketIdParams } from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { listCallbacks, updateCallback } from './callbacks.service.ts';
import { listCalls, logCall } from './calls.service.ts';

const tags = ['callbacks'];
const Params = z.object({ id: z.uuid() });

/** The callback queue and call logs on tickets (packages/contracts/src/chat.ts). */
export async function callbacksRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = app;

  r.get('/callbacks', { config: { policy: 'tickets:read' }, schema: { tags, summary: 'Callback requests (open, done or all)', querystring: CallbackListQuery, response: { 200: CallbackList } } }, async (req) => ({
    items: await listCallbacks(deps.db, { actor: requireActor(req), status: req.query.status }),
  }));
  r.patch('/callbacks/:id', { config: { policy: 'tickets:reply' }, schema: { tags, summary: 'Take, release, schedule or close a callback', params: Params, body: CallbackPatch, response: { 200: Callback } } }, async (req) => {
    const actor = requireActor(req);
    return deps.db.transaction((tx) => updateCallback(tx, { actor, id: req.params.id, patch: req.body, now: deps.clock.now() }));
  });
  r.get('/tickets/:id/calls', { config: { policy: 'tickets:read' }, schema: { tags, summary: 'Calls logged on a ticket', params: TicketIdParams, response: { 200: CallLogList } } }, async (req) => ({
    items: await listCalls(deps.db, { actor: requireActor(req), ref: req.params.id }),
  }));
  r.post('/tickets/:id/calls', { config: { policy: 'tickets:note' }, schema: { tags, summary: 'Log a call (adds an internal note; a callback follows the outcome)', params: TicketIdParams, body: CallLogBody, response: { 201: CallLog } } }, async (req, reply) => {
    const actor = requireActor(req);
    const call = await deps.db.transaction((tx) => logCall(tx, { actor, ref: req.params.id, body: req.body, now: deps.clock.now() }));
    return reply.status(201).send(call);
  });
}
