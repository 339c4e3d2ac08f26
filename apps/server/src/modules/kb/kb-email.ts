import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Mail } from 'nodemailer';
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { outboundEmails } from '../../platform/db/schema/index.ts';
import type { Jobs, SqlClient } from '../../platform/jobs/jobs.ts';
import { emailRuntime } from '../email/email-runtime.ts';
import { createRelayTransport } from '../email/send-email.job.ts';
import { deliverNoticeEmail, type NoticeMail, type OutboundEmailRow } from '../insights/deliver-notice-email.ts';
import { sendKbEmailJob } from './kb.jobs.ts';
import { composeReminderEmail, REMINDER_KIND } from './kb-reminder-email.ts';

/** Where a knowledge-base mail is queued: the caller's transaction, as Drizzle and as the raw client for pg-boss. */
export interface KbMailQueue {
  tx: DbOrTx;
  client: SqlClient;
  jobs: Jobs;
}

/**
 * Queues one mail the normal way: an `outbound_emails` row (idempotency key, kind, recipient) and its send job, both
 * in the caller's transaction, so the mail goes out exactly when the change that asked for it commits. The text is
 * written when it is sent (`composeKbEmail`). False when a row with this key already exists.
 */
export async function queueKbEmail(
  q: KbMailQueue,
  row: { idempotencyKey: string; kind: string; recipient: string; now: Date },
): Promise<boolean> {
  const [out] = await q.tx
    .insert(outboundEmails)
    .values({
      idempotencyKey: row.idempotencyKey,
      kind: row.kind,
      recipient: row.recipient.toLowerCase(),
      messageIdHeader: `seva.kb.${randomUUID()}@seva.invalid`,
      createdAt: row.now,
    })
    .onConflictDoNothing()
    .returning({ id: outboundEmails.id });
  if (!out) return false;
  await q.jobs.send(sendKbEmailJob, { outboundEmailId: out.id }, { client: q.client, singletonKey: out.id });
  return true;
}

export type KbEmailComposer = (
  deps: { config: Config; now: () => Date },
  tx: DbOrTx,
  row: OutboundEmailRow,
) => Promise<NoticeMail>;

const composers = new Map<string, KbEmailComposer>([
  [REMINDER_KIND, (deps, tx, row) => composeReminderEmail(deps, tx, row)],
]);

/** Lets another part of the knowledge base (the help portal) add a kind of mail. */
export function registerKbEmailKind(kind: string, compose: KbEmailComposer): void {
  composers.set(kind, compose);
}

export function composeKbEmail(
  deps: { config: Config; now: () => Date },
  tx: DbOrTx,
  row: OutboundEmailRow,
): Promise<NoticeMail> {
  const compose = composers.get(row.kind);
  return compose ? compose(deps, tx, row) : Promise.resolve({ skip: `unknown kind ${row.kind}` });
}

/** In worker processes: works the knowledge base's send job on the email module's queue (one relay transport). */
export function startKbEmailWorker(app: FastifyInstance): void {
  const deps = app.deps;
  if (!deps.config.roles.includes('worker')) return;
  let transport: Mail | null = null;
  const relay = () => {
    transport ??= createRelayTransport(deps.config.smtpRelayUrl);
    return transport;
  };
  const now = () => deps.clock.now();
  app.addHook('onReady', async () => {
    const runtime = emailRuntime(deps, (err) => app.log.error({ err }, 'kb jobs'));
    await runtime.jobs.start();
    await runtime.jobs.work(
      sendKbEmailJob,
      async ({ outboundEmailId }, ctx) => {
        await deliverNoticeEmail(
          { db: deps.db, now, transport: relay },
          { outboundEmailId, ctx, compose: (tx, row) => composeKbEmail({ config: deps.config, now }, tx, row) },
        );
      },
      { pollingIntervalSeconds: 0.5 },
    );
  });
  app.addHook('onClose', async () => {
    transport?.close();
  });
}
