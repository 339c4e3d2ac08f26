import type { FastifyInstance } from 'fastify';
import { authRoutes } from './auth.routes.ts';

/** The auth module: first-run setup, sign-in and sign-out, sessions, accepting invitations. */
export async function authModule(app: FastifyInstance): Promise<void> {
  await app.register(authRoutes);
}

export { LOGIN_ATTEMPTS_PER_IP_PER_MINUTE } from './auth.routes.ts';
export { LOCKOUT_MS, MAX_LOGIN_FAILURES } from './login-throttle.ts';
