import type { FastifyInstance } from 'fastify';
import type { Mail } from 'nodemailer';
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { emailRuntime } from '../email/email-runtime.ts';
import { createRelayTransport } from '../email/send-email.job.ts';
import { deliverNoticeEmail, type NoticeMail, type OutboundEmailRow } from '../insights/deliver-notice-email.ts';
import { composeSignInEmail, SIGN_IN_KIND } from './help-portal-email.ts';
import { sendKbEmailJob } from './kb.jobs.ts';
import { composeReminderEmail, REMINDER_KIND } from './kb-reminder-email.ts';

/** Writes a queued knowledge-base mail when it is sent, by its kind. */
export function composeKbEmail(
  deps: { config: Config; now: () => Date },
  tx: DbOrTx,
  row: OutboundEmailRow,
): Promise<NoticeMail> {
  if (row.kind === REMINDER_KIND) return composeReminderEmail(deps, tx, row);
  if (row.kind === SIGN_IN_KIND) return composeSignInEmail(deps, tx, row);
  return Promise.resolve({ skip: `unknown kind ${row.kind}` });
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
