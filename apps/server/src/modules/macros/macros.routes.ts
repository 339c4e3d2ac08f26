import { ApplyMacroBody, CreateMacroBody, Macro, MacroIdParams, MacroList, MacroListQuery, MacroPreview, Ticket, TicketMacroParams, UpdateMacroBody } from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { applyMacro, createMacro, deleteMacro, listMacros, previewMacro, updateMacro } from './macros.service.ts';

const tags = ['macros'];
const replier = { policy: 'tickets:read' } as const;

export async function macrosRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = app;

  r.get('/macros', { config: replier, schema: { tags, summary: 'Shared and my macros, by name or shortcut', querystring: MacroListQuery, response: { 200: MacroList } } }, async (req) => ({
    items: await listMacros(deps.db, requireActor(req), { q: req.query.q, includeInactive: req.query.includeInactive === '1' }),
  }));
  r.post('/macros', { config: replier, schema: { tags, summary: 'Create a personal or (supervisors) shared macro', body: CreateMacroBody, response: { 201: Macro } } }, async (req, reply) => {
    const actor = requireActor(req);
    return reply.status(201).send(await deps.db.transaction((tx) => createMacro(tx, actor, req.body, deps.clock.now())));
  });
  r.patch('/macros/:id', { config: replier, schema: { tags, summary: 'Change a macro', params: MacroIdParams, body: UpdateMacroBody, response: { 200: Macro } } }, async (req) => {
    const actor = requireActor(req);
    return deps.db.transaction((tx) => updateMacro(tx, actor, req.params.id, req.body, deps.clock.now()));
  });
  r.delete('/macros/:id', { config: replier, schema: { tags, summary: 'Delete a macro', params: MacroIdParams } }, async (req, reply) => {
    const actor = requireActor(req);
    await deps.db.transaction((tx) => deleteMacro(tx, actor, req.params.id));
    return reply.status(204).send();
  });
  r.post(
    '/tickets/:id/macros/:macroId/preview',
    { config: replier, schema: { tags, summary: "A macro's text for this ticket, in the customer's language", params: TicketMacroParams, body: ApplyMacroBody, response: { 200: MacroPreview } } },
    async (req) => previewMacro(deps, requireActor(req), { ref: req.params.id, macroId: req.params.macroId, language: req.body.language }),
  );
  r.post(
    '/tickets/:id/macros/:macroId/apply',
    { config: replier, schema: { tags, summary: 'Send the macro (as edited) and apply its changes', params: TicketMacroParams, body: ApplyMacroBody, response: { 200: Ticket } } },
    async (req) => applyMacro(deps, requireActor(req), { ref: req.params.id, macroId: req.params.macroId, body: req.body }),
  );
}
