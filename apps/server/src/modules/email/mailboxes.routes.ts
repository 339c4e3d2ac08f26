import {
  CreateMailboxBody,
  InboundEmail,
  InboundEmailList,
  InboundEmailQuery,
  Mailbox,
  MailboxHookSecret,
  MailboxIdParams,
  MailboxList,
  UpdateMailboxBody,
} from '@seva/contracts';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { inboundEmails } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import type { EmailRuntime } from './email-runtime.ts';
import { createMailbox, deleteMailbox, getMailbox, listMailboxes, rotateHookSecret, toMailboxDto, updateMailbox } from './mailboxes.service.ts';

function toInboundDto(r: typeof inboundEmails.$inferSelect): InboundEmail {
  return {
    id: r.id,
    mailboxId: r.mailboxId,
    source: r.source,
    envelopeFrom: r.envelopeFrom,
    messageIdHeader: r.messageIdHeader,
    sizeBytes: r.sizeBytes,
    status: r.status as InboundEmail['status'],
    outcome: r.outcome,
    ticketId: r.ticketId,
    attempts: r.attempts,
    error: r.error,
    receivedAt: r.receivedAt.toISOString(),
    processedAt: r.processedAt?.toISOString() ?? null,
  };
}

export async function mailboxesRoutes(app: FastifyInstance, opts: { runtime: EmailRuntime }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = () => ({ db: app.deps.db, box: opts.runtime.box });

  r.get('/mailboxes', { config: { policy: 'settings:manage' }, schema: { response: { 200: MailboxList } } }, async () => ({
    items: (await listMailboxes(app.deps.db)).map(toMailboxDto),
  }));

  r.post(
    '/mailboxes',
    { config: { policy: 'settings:manage' }, schema: { body: CreateMailboxBody, response: { 201: Mailbox } } },
    async (req, reply) => {
      const row = await createMailbox(deps(), { actor: requireActor(req), input: req.body });
      return reply.code(201).send(toMailboxDto(row));
    },
  );

  r.get('/mailboxes/:id', { config: { policy: 'settings:manage' }, schema: { params: MailboxIdParams, response: { 200: Mailbox } } }, async (req) =>
    toMailboxDto(await getMailbox(app.deps.db, req.params.id)),
  );

  r.patch(
    '/mailboxes/:id',
    { config: { policy: 'settings:manage' }, schema: { params: MailboxIdParams, body: UpdateMailboxBody, response: { 200: Mailbox } } },
    async (req) => toMailboxDto(await updateMailbox(deps(), { actor: requireActor(req), id: req.params.id, input: req.body })),
  );

  r.delete('/mailboxes/:id', { config: { policy: 'settings:manage' }, schema: { params: MailboxIdParams } }, async (req, reply) => {
    await deleteMailbox(deps(), { actor: requireActor(req), id: req.params.id });
    return reply.code(204).send();
  });

  r.post(
    '/mailboxes/:id/hook-secret',
    { config: { policy: 'settings:manage' }, schema: { params: MailboxIdParams, response: { 200: MailboxHookSecret } } },
    async (req) => {
      const { row, secret } = await rotateHookSecret(deps(), { actor: requireActor(req), id: req.params.id });
      return { secret, hookUrl: `/hooks/email/${row.id}` };
    },
  );

  r.get(
    '/mailboxes/:id/inbound',
    { config: { policy: 'settings:manage' }, schema: { params: MailboxIdParams, querystring: InboundEmailQuery, response: { 200: InboundEmailList } } },
    async (req) => {
      await getMailbox(app.deps.db, req.params.id);
      const rows = await app.deps.db
        .select()
        .from(inboundEmails)
        .where(and(eq(inboundEmails.mailboxId, req.params.id), req.query.status ? eq(inboundEmails.status, req.query.status) : undefined))
        .orderBy(desc(inboundEmails.receivedAt))
        .limit(req.query.limit);
      return { items: rows.map(toInboundDto) };
    },
  );

  r.post(
    '/inbound-emails/:id/retry',
    { config: { policy: 'settings:manage' }, schema: { params: MailboxIdParams, response: { 200: InboundEmail } } },
    async (req) => {
      const actor = requireActor(req);
      const [row] = await app.deps.db.transaction(async (tx) => {
        const updated = await tx
          .update(inboundEmails)
          .set({ status: 'received', attempts: 0, error: null, nextAttemptAt: sql`now()` })
          .where(and(eq(inboundEmails.id, req.params.id), inArray(inboundEmails.status, ['quarantined', 'failed'])))
          .returning();
        if (updated[0]) await recordEvent(tx, { type: 'inbound_email.retried', actor, payload: { inboundEmailId: req.params.id } });
        return updated;
      });
      if (!row) {
        const [exists] = await app.deps.db.select({ id: inboundEmails.id }).from(inboundEmails).where(eq(inboundEmails.id, req.params.id));
        if (!exists) throw notFound('Inbound email');
        throw new AppError('CONFLICT', 'Only quarantined or failed emails can be retried');
      }
      opts.runtime.wakeInbound();
      return toInboundDto(row);
    },
  );
}
