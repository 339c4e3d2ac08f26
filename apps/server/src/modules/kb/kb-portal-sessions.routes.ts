import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { customers } from '../../platform/db/schema/index.ts';
import { notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { listCustomerPortalSessions, revokeCustomerPortalSessions } from './help-portal-auth.ts';

const Params = z.object({ customerId: z.uuid() });
const PortalSession = z.object({
  id: z.uuid(),
  createdAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

async function assertCustomer(db: DbOrTx, id: string): Promise<void> {
  const [c] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, id));
  if (!c) throw notFound('Customer');
}

/** Staff side of the help centre's customer sessions ("my requests"): see them and sign a customer out everywhere. */
export async function kbPortalSessionRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = app;
  const tags = ['knowledge base'];

  r.get(
    '/kb/portal-sessions/:customerId',
    {
      config: { policy: 'customers:read' },
      schema: {
        tags,
        summary: "A customer's live help-centre sessions",
        params: Params,
        response: { 200: z.object({ items: z.array(PortalSession) }) },
      },
    },
    async (req) => {
      await assertCustomer(deps.db, req.params.customerId);
      const rows = await listCustomerPortalSessions(deps.db, {
        customerId: req.params.customerId,
        now: deps.clock.now(),
      });
      return {
        items: rows.map((s) => ({ ...s, createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt.toISOString() })),
      };
    },
  );

  r.post(
    '/kb/portal-sessions/:customerId/revoke',
    {
      config: { policy: 'customers:write' },
      schema: {
        tags,
        summary: 'Sign a customer out of the help centre on every device',
        params: Params,
        response: { 200: z.object({ revoked: z.number().int() }) },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const now = deps.clock.now();
      return deps.db.transaction(async (tx) => {
        await assertCustomer(tx, req.params.customerId);
        const revoked = await revokeCustomerPortalSessions(tx, { customerId: req.params.customerId, now });
        await recordEvent(tx, {
          type: 'portal.sessions_revoked',
          actor,
          customerId: req.params.customerId,
          payload: { revoked },
          at: now,
        });
        return { revoked };
      });
    },
  );
}
