import { SearchQuery, SearchResult } from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { search } from './search.service.ts';

export async function searchRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/search',
    {
      config: { policy: 'search:read' },
      schema: { tags: ['search'], querystring: SearchQuery, response: { 200: SearchResult } },
    },
    async (req) => search(app.deps, { actor: requireActor(req), ...req.query }),
  );
}
