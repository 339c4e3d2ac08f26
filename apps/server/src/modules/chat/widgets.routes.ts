import { Widget, WidgetBody, WidgetIdentitySecret, WidgetList, WidgetPatch } from '@seva/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { widgetSecretBox } from '../widget/widget-secret-box.ts';
import { createWidget, deleteWidget, getWidget, listWidgets, rotateIdentitySecret, updateWidget } from './widgets.service.ts';

const tags = ['widgets'];
const Params = z.object({ id: z.uuid() });
const admin = { policy: 'settings:manage' } as const;

/** Widgets admin under /api/v1/widgets (admins only). */
export async function widgetsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = app;
  const baseUrl = (req: FastifyRequest) => deps.config.publicUrl ?? `${req.protocol}://${req.host}`;

  r.get('/widgets', { config: admin, schema: { tags, summary: 'Help widgets', response: { 200: WidgetList } } }, async (req) => ({ items: await listWidgets(deps.db, baseUrl(req)) }));
  r.post('/widgets', { config: admin, schema: { tags, summary: 'Create a help widget', body: WidgetBody, response: { 201: Widget } } }, async (req, reply) => {
    const actor = requireActor(req);
    const w = await deps.db.transaction((tx) => createWidget(tx, { actor, body: req.body, baseUrl: baseUrl(req), now: deps.clock.now() }));
    return reply.status(201).send(w);
  });
  r.get('/widgets/:id', { config: admin, schema: { tags, summary: 'A help widget and its snippet', params: Params, response: { 200: Widget } } }, async (req) => getWidget(deps.db, req.params.id, baseUrl(req)));
  r.patch('/widgets/:id', { config: admin, schema: { tags, summary: 'Change a help widget', params: Params, body: WidgetPatch, response: { 200: Widget } } }, async (req) => {
    const actor = requireActor(req);
    return deps.db.transaction((tx) => updateWidget(tx, { actor, id: req.params.id, body: req.body, baseUrl: baseUrl(req), now: deps.clock.now() }));
  });
  r.delete('/widgets/:id', { config: admin, schema: { tags, summary: 'Delete a help widget (its conversations stay as tickets)', params: Params } }, async (req, reply) => {
    const actor = requireActor(req);
    await deps.db.transaction((tx) => deleteWidget(tx, { actor, id: req.params.id, now: deps.clock.now() }));
    return reply.status(204).send();
  });
  r.post('/widgets/:id/identity-secret', { config: admin, schema: { tags, summary: 'A new identity-verification secret (shown once)', params: Params, response: { 200: WidgetIdentitySecret } } }, async (req) => {
    const actor = requireActor(req);
    return deps.db.transaction((tx) => rotateIdentitySecret(tx, { actor, id: req.params.id, box: widgetSecretBox(deps), now: deps.clock.now() }));
  });
}
