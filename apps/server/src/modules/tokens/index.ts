import type { FastifyInstance } from 'fastify';
import { tokensRoutes } from './tokens.routes.ts';

/** The tokens module: personal API tokens with scopes. */
export async function tokensModule(app: FastifyInstance): Promise<void> {
  await app.register(tokensRoutes);
}

export { createApiToken, findStaffIdByEmail, toApiTokenDto } from './tokens.service.ts';
