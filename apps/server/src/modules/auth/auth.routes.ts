import { AcceptInvitationBody, LoginBody, Session, SetupBody, SetupStatus } from '@seva/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import {
  clearSessionCookie,
  deleteSession,
  findSessionCsrfToken,
  setSessionCookie,
} from '../../platform/auth/sessions.ts';
import { SESSION_COOKIE, sha256Hex } from '../../platform/auth/tokens.ts';
import { AppError } from '../../platform/errors.ts';
import { getStaff } from '../staff/index.ts';
import {
  acceptInvitationAndSignIn,
  actorOf,
  type ClientInfo,
  needsSetup,
  runFirstSetup,
  type SignedIn,
  signIn,
  signOut,
  toSessionDto,
} from './auth.service.ts';

/** Sign-in attempts allowed per IP address per minute (on top of the per-email lockout). */
export const LOGIN_ATTEMPTS_PER_IP_PER_MINUTE = 20;

const clientInfo = (req: FastifyRequest): ClientInfo => ({
  ip: req.ip ?? null,
  userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
});

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { config } = app.deps;

  /**
   * Sets the new session cookie. A session cookie the browser already held is ended first, so signing in always
   * replaces the old session rather than leaving it alive beside the new one.
   */
  const startSession = async (reply: FastifyReply, signedIn: SignedIn) => {
    const previous = reply.request.cookies?.[SESSION_COOKIE];
    if (previous) await deleteSession(app.deps.db, sha256Hex(previous));
    setSessionCookie(reply, config, signedIn.session);
    reply.header('cache-control', 'no-store');
    return toSessionDto(signedIn.user, signedIn.session.csrfToken, actorOf(signedIn.user));
  };

  r.get(
    '/setup/status',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Whether the first admin still has to be created',
        response: { 200: SetupStatus },
      },
    },
    async () => ({ needsSetup: await needsSetup(app.deps) }),
  );

  r.post(
    '/setup',
    {
      config: {
        policy: 'public',
        rateLimit: {
          max: LOGIN_ATTEMPTS_PER_IP_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (req) => `setup:${req.ip}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Create the first admin (only while there are no staff) and sign in',
        security: [],
        body: SetupBody,
        response: { 201: Session },
      },
    },
    async (req, reply) => {
      const signedIn = await runFirstSetup(app.deps, { ...req.body, ...clientInfo(req) });
      return reply.status(201).send(await startSession(reply, signedIn));
    },
  );

  r.post(
    '/auth/login',
    {
      config: {
        policy: 'public',
        rateLimit: {
          max: LOGIN_ATTEMPTS_PER_IP_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (req) => `login:${req.ip}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        security: [],
        body: LoginBody,
        response: { 200: Session },
      },
    },
    async (req, reply) => {
      try {
        const signedIn = await signIn(app.deps, { ...req.body, ...clientInfo(req) });
        return await startSession(reply, signedIn);
      } catch (err) {
        if (err instanceof AppError && err.code === 'LOCKED_OUT') {
          reply.header('retry-after', String(err.details?.retryAfterSeconds ?? 900));
        }
        throw err;
      }
    },
  );

  r.post(
    '/auth/logout',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out (ends this session)',
        response: { 204: z.null().describe('Signed out') },
      },
    },
    async (req, reply) => {
      await signOut(app.deps, requireActor(req), req.sessionIdHash);
      clearSessionCookie(reply, config);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/auth/session',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in, with the CSRF token for writes',
        response: { 200: Session },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const csrfToken = req.sessionIdHash ? ((await findSessionCsrfToken(app.deps.db, req.sessionIdHash)) ?? '') : '';
      reply.header('cache-control', 'no-store');
      return toSessionDto(await getStaff(app.deps, actor.userId), csrfToken, actor);
    },
  );

  r.post(
    '/auth/invitations/accept',
    {
      config: {
        policy: 'public',
        rateLimit: {
          max: LOGIN_ATTEMPTS_PER_IP_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (req) => `invite:${req.ip}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Accept an invitation: set a password and sign in',
        security: [],
        body: AcceptInvitationBody,
        response: { 200: Session },
      },
    },
    async (req, reply) =>
      startSession(reply, await acceptInvitationAndSignIn(app.deps, { ...req.body, ...clientInfo(req) })),
  );
}
