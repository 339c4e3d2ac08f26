import { ApiTokenList, CreateTokenBody, CreateTokenResult, ListTokensQuery, TokenIdParams } from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { createOwnApiToken, listApiTokens, revokeApiToken, toApiTokenDto } from './tokens.service.ts';

export async function tokensRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/tokens',
    {
      config: { policy: 'tokens:own' },
      schema: {
        tags: ['tokens'],
        summary: "List your API tokens (or everyone's with ?all=1 and tokens:manage)",
        querystring: ListTokensQuery,
        response: { 200: ApiTokenList },
      },
    },
    async (req) => {
      const all = req.query.all === '1' || req.query.all === 'true';
      return { items: (await listApiTokens(app.deps, { actor: requireActor(req), all })).map(toApiTokenDto) };
    },
  );

  r.post(
    '/tokens',
    {
      config: { policy: 'tokens:own' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token (the raw token is shown once)',
        body: CreateTokenBody,
        response: { 201: CreateTokenResult },
      },
    },
    async (req, reply) => {
      const created = await createOwnApiToken(app.deps, { actor: requireActor(req), ...req.body });
      reply.header('cache-control', 'no-store');
      return reply.status(201).send({ token: created.token, record: toApiTokenDto(created.record) });
    },
  );

  r.delete(
    '/tokens/:id',
    {
      config: { policy: 'tokens:own' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token',
        params: TokenIdParams,
        response: { 204: z.null().describe('Revoked') },
      },
    },
    async (req, reply) => {
      await revokeApiToken(app.deps, { actor: requireActor(req), tokenId: req.params.id });
      return reply.status(204).send(null);
    },
  );
}
