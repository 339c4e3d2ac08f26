import {
  AdminIdParams,
  Category,
  CategoryList,
  CreateCategoryBody,
  CreateCustomFieldBody,
  CreateSavedViewBody,
  CreateTeamBody,
  CustomField,
  CustomFieldList,
  DeleteConfigResult,
  ListConfigQuery,
  SavedView,
  SavedViewList,
  SetTeamMembersBody,
  Team,
  TeamList,
  UpdateCategoryBody,
  UpdateCustomFieldBody,
  UpdateSavedViewBody,
  UpdateTeamBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { truthy } from './admin.shared.ts';
import { createCategory, deleteCategory, listCategories, updateCategory } from './categories.service.ts';
import { createCustomField, deleteCustomField, listCustomFields, updateCustomField } from './custom-fields.service.ts';
import { createView, deleteView, listViews, updateView } from './saved-views.service.ts';
import { createTeam, deleteTeam, listTeams, setTeamMembers, updateTeam } from './teams.service.ts';

export async function teamsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['teams'];

  r.get('/teams', { config: { policy: 'staff:read' }, schema: { tags, response: { 200: TeamList } } }, async () =>
    listTeams(deps),
  );

  r.post(
    '/teams',
    { config: { policy: 'teams:manage' }, schema: { tags, body: CreateTeamBody, response: { 201: Team } } },
    async (req, reply) => reply.status(201).send(await createTeam(deps, { actor: requireActor(req), body: req.body })),
  );

  r.patch(
    '/teams/:id',
    {
      config: { policy: 'teams:manage' },
      schema: { tags, params: AdminIdParams, body: UpdateTeamBody, response: { 200: Team } },
    },
    async (req) => updateTeam(deps, { actor: requireActor(req), id: req.params.id, body: req.body }),
  );

  r.put(
    '/teams/:id/members',
    {
      config: { policy: 'teams:manage' },
      schema: { tags, params: AdminIdParams, body: SetTeamMembersBody, response: { 200: Team } },
    },
    async (req) => setTeamMembers(deps, { actor: requireActor(req), id: req.params.id, userIds: req.body.userIds }),
  );

  r.delete(
    '/teams/:id',
    { config: { policy: 'teams:manage' }, schema: { tags, params: AdminIdParams } },
    async (req, reply) => {
      await deleteTeam(deps, { actor: requireActor(req), id: req.params.id });
      return reply.status(204).send();
    },
  );
}

export async function categoriesRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['categories'];

  r.get(
    '/categories',
    {
      config: { policy: 'authenticated' },
      schema: { tags, querystring: ListConfigQuery, response: { 200: CategoryList } },
    },
    async (req) => listCategories(deps, { includeInactive: truthy(req.query.includeInactive) }),
  );

  r.post(
    '/categories',
    {
      config: { policy: 'categories:manage' },
      schema: { tags, body: CreateCategoryBody, response: { 201: Category } },
    },
    async (req, reply) =>
      reply.status(201).send(await createCategory(deps, { actor: requireActor(req), body: req.body })),
  );

  r.patch(
    '/categories/:id',
    {
      config: { policy: 'categories:manage' },
      schema: { tags, params: AdminIdParams, body: UpdateCategoryBody, response: { 200: Category } },
    },
    async (req) => updateCategory(deps, { actor: requireActor(req), id: req.params.id, body: req.body }),
  );

  r.delete(
    '/categories/:id',
    {
      config: { policy: 'categories:manage' },
      schema: { tags, params: AdminIdParams, response: { 200: DeleteConfigResult } },
    },
    async (req) => deleteCategory(deps, { actor: requireActor(req), id: req.params.id }),
  );
}

export async function customFieldsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['custom fields'];

  r.get(
    '/custom-fields',
    {
      config: { policy: 'authenticated' },
      schema: { tags, querystring: ListConfigQuery, response: { 200: CustomFieldList } },
    },
    async (req) => listCustomFields(deps, { includeInactive: truthy(req.query.includeInactive) }),
  );

  r.post(
    '/custom-fields',
    {
      config: { policy: 'fields:manage' },
      schema: { tags, body: CreateCustomFieldBody, response: { 201: CustomField } },
    },
    async (req, reply) =>
      reply.status(201).send(await createCustomField(deps, { actor: requireActor(req), body: req.body })),
  );

  r.patch(
    '/custom-fields/:id',
    {
      config: { policy: 'fields:manage' },
      schema: { tags, params: AdminIdParams, body: UpdateCustomFieldBody, response: { 200: CustomField } },
    },
    async (req) => updateCustomField(deps, { actor: requireActor(req), id: req.params.id, body: req.body }),
  );

  r.delete(
    '/custom-fields/:id',
    {
      config: { policy: 'fields:manage' },
      schema: { tags, params: AdminIdParams, response: { 200: DeleteConfigResult } },
    },
    async (req) => deleteCustomField(deps, { actor: requireActor(req), id: req.params.id }),
  );
}

export async function viewsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['views'];

  r.get(
    '/views',
    { config: { policy: 'authenticated' }, schema: { tags, response: { 200: SavedViewList } } },
    async (req) => listViews(deps, { actor: requireActor(req) }),
  );

  r.post(
    '/views',
    { config: { policy: 'authenticated' }, schema: { tags, body: CreateSavedViewBody, response: { 201: SavedView } } },
    async (req, reply) => reply.status(201).send(await createView(deps, { actor: requireActor(req), body: req.body })),
  );

  r.patch(
    '/views/:id',
    {
      config: { policy: 'authenticated' },
      schema: { tags, params: AdminIdParams, body: UpdateSavedViewBody, response: { 200: SavedView } },
    },
    async (req) => updateView(deps, { actor: requireActor(req), id: req.params.id, body: req.body }),
  );

  r.delete(
    '/views/:id',
    { config: { policy: 'authenticated' }, schema: { tags, params: AdminIdParams } },
    async (req, reply) => {
      await deleteView(deps, { actor: requireActor(req), id: req.params.id });
      return reply.status(204).send();
    },
  );
}
