import { listCustomerTickets } from './customer-tickets.ts';
import { mergeCustomers } from './merge-customers.ts';
import {
  AddIdentityBody,
  CreateCustomerBody,
  Customer,
  CustomerIdParams,
  CustomerList,
  CustomerTicketsQuery,
  IdentityParams,
  ListCustomersQuery,
  MergeCustomerBody,
  TicketList,
  UpdateCustomerBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import {
  addIdentity,
  createCustomer,
  getCustomer,
  listCustomers,
  removeIdentity,
  updateCustomer,
} from './customers.service.ts';

const tags = ['customers'];

export async function customersRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;

  r.get(
    '/customers',
    {
      config: { policy: 'customers:read' },
      schema: { tags, querystring: ListCustomersQuery, response: { 200: CustomerList } },
    },
    async (req) => listCustomers(deps, { actor: requireActor(req), ...req.query }),
  );

  r.post(
    '/customers',
    { config: { policy: 'customers:write' }, schema: { tags, body: CreateCustomerBody, response: { 201: Customer } } },
    async (req, reply) =>
      reply.status(201).send(await createCustomer(deps, { actor: requireActor(req), body: req.body })),
  );

  r.get(
    '/customers/:id',
    { config: { policy: 'customers:read' }, schema: { tags, params: CustomerIdParams, response: { 200: Customer } } },
    async (req) => getCustomer(deps, { actor: requireActor(req), id: req.params.id }),
  );

  r.patch(
    '/customers/:id',
    {
      config: { policy: 'customers:write' },
      schema: { tags, params: CustomerIdParams, body: UpdateCustomerBody, response: { 200: Customer } },
    },
    async (req) => updateCustomer(deps, { actor: requireActor(req), id: req.params.id, body: req.body }),
  );

  r.post(
    '/customers/:id/identities',
    {
      config: { policy: 'customers:write' },
      schema: { tags, params: CustomerIdParams, body: AddIdentityBody, response: { 201: Customer } },
    },
    async (req, reply) =>
      reply.status(201).send(await addIdentity(deps, { actor: requireActor(req), id: req.params.id, body: req.body })),
  );

  r.delete(
    '/customers/:id/identities/:identityId',
    { config: { policy: 'customers:write' }, schema: { tags, params: IdentityParams, response: { 200: Customer } } },
    async (req) =>
      removeIdentity(deps, { actor: requireActor(req), id: req.params.id, identityId: req.params.identityId }),
  );

  r.post(
    '/customers/:id/merge',
    {
      config: { policy: 'customers:merge' },
      schema: { tags, params: CustomerIdParams, body: MergeCustomerBody, response: { 200: Customer } },
    },
    async (req) =>
      mergeCustomers(deps, { actor: requireActor(req), survivorId: req.params.id, duplicateId: req.body.duplicateId }),
  );

  r.get(
    '/customers/:id/tickets',
    {
      config: { policy: 'tickets:read' },
      schema: { tags, params: CustomerIdParams, querystring: CustomerTicketsQuery, response: { 200: TicketList } },
    },
    async (req) => listCustomerTickets(deps, { actor: requireActor(req), id: req.params.id, ...req.query }),
  );
}
