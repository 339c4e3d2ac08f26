import {
  CreateOrganisationBody,
  ListOrganisationsQuery,
  Organisation,
  OrganisationIdParams,
  OrganisationList,
  UpdateOrganisationBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import {
  createOrganisation,
  deleteOrganisation,
  getOrganisation,
  listOrganisations,
  updateOrganisation,
} from './organisations.service.ts';

const tags = ['organisations'];

export async function organisationsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;

  r.get(
    '/organisations',
    {
      config: { policy: 'customers:read' },
      schema: { tags, querystring: ListOrganisationsQuery, response: { 200: OrganisationList } },
    },
    async (req) => listOrganisations(deps, { actor: requireActor(req), ...req.query }),
  );

  r.post(
    '/organisations',
    {
      config: { policy: 'customers:write' },
      schema: { tags, body: CreateOrganisationBody, response: { 201: Organisation } },
    },
    async (req, reply) =>
      reply.status(201).send(await createOrganisation(deps, { actor: requireActor(req), body: req.body })),
  );

  r.get(
    '/organisations/:id',
    {
      config: { policy: 'customers:read' },
      schema: { tags, params: OrganisationIdParams, response: { 200: Organisation } },
    },
    async (req) => getOrganisation(deps, { actor: requireActor(req), id: req.params.id }),
  );

  r.patch(
    '/organisations/:id',
    {
      config: { policy: 'customers:write' },
      schema: { tags, params: OrganisationIdParams, body: UpdateOrganisationBody, response: { 200: Organisation } },
    },
    async (req) => updateOrganisation(deps, { actor: requireActor(req), id: req.params.id, body: req.body }),
  );

  r.delete(
    '/organisations/:id',
    { config: { policy: 'customers:write' }, schema: { tags, params: OrganisationIdParams } },
    async (req, reply) => {
      await deleteOrganisation(deps, { actor: requireActor(req), id: req.params.id });
      return reply.status(204).send();
    },
  );
}
