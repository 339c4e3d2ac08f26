import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Mail as Transporter } from 'nodemailer';
import { sendEmailJob } from './email.jobs.ts';
import { type InboundQueue, startInboundQueue } from './inbound-queue.ts';
import { emailHooksRoutes } from './email-hooks.routes.ts';
import { emailRuntime } from './email-runtime.ts';
import { enqueueOutboundReplies } from './enqueue-outbound-replies.ts';
import { type ImapFetcher, startImapFetcher } from './imap-fetcher.ts';
import { mailboxesRoutes } from './mailboxes.routes.ts';
import { requeueStrandedOutbound } from './requeue-stranded-outbound.ts';
import { createRelayTransport, sendOutboundEmail } from './send-email.job.ts';
import { type SmtpListener, startSmtpListener } from './smtp-listener.ts';

/** how often the worker looks for agent replies to send (the event log is the outbox) */
const OUTBOUND_POLL_MS = 500;
/** how often the worker looks for queued mail that has lost its job (requeue-stranded-outbound.ts) */
const SWEEP_MS = 60_000;

/**
 * The email channel: mailbox admin API (under /api/v1), and — in processes with the `worker` role — the SMTP
 * listener, the IMAP fetcher, the inbound processor, the outbound sender, the reply reader and the sweep of stranded
 * outbound mail. See docs/email.md.
 */
export async function emailModule(app: FastifyInstance): Promise<void> {
  const deps = app.deps;
  const runtime = emailRuntime(deps, (err) => app.log.error({ err }, 'email jobs'));
  await app.register(mailboxesRoutes, { runtime });

  const isWorker = deps.config.roles.includes('worker');
  let smtp: SmtpListener | null = null;
  let transport: Transporter | null = null;
  let imap: ImapFetcher | null = null;
  const timers: NodeJS.Timeout[] = [];
  let polling = false;
  let inbound: InboundQueue | null = null;

  app.addHook('onReady', async () => {
    await runtime.jobs.start();
    if (!isWorker) return;
    const now = () => deps.clock.now();
    const ingestDeps = { db: deps.db, pool: deps.database.pool, jobs: runtime.jobs, config: deps.config, now };
    // several at once: one slow message never holds up the rest, and ingest is mostly waiting on PostgreSQL
    // (mails of one conversation still go in order, see thread-order.ts)
    inbound = startInboundQueue(ingestDeps, { workers: deps.config.emailWorkers, log: app.log });
    runtime.wakeInbound = () => inbound?.wake();
    await runtime.jobs.work(
      sendEmailJob,
      async ({ outboundEmailId }, ctx) => {
        transport ??= createRelayTransport(deps.config.smtpRelayUrl, { pooled: true });
        await sendOutboundEmail(
          { db: deps.db, config: deps.config, now, transport: () => transport },
          outboundEmailId,
          ctx,
        );
      },
      { pollingIntervalSeconds: 0.5 },
    );
    smtp = await startSmtpListener({
      db: deps.db,
      pool: deps.database.pool,
      wakeInbound: runtime.wakeInbound,
      port: deps.config.smtpPort,
      host: deps.config.host,
      maxMessageBytes: deps.config.smtpMaxMessageBytes,
      spoolDir: path.join(deps.config.dataDir, 'spool', 'smtp'),
      spoolMemoryBytes: deps.config.smtpSpoolMemoryBytes,
      ...(deps.config.smtpTls
        ? {
            tls: {
              cert: await readFile(deps.config.smtpTls.certFile),
              key: await readFile(deps.config.smtpTls.keyFile),
            },
          }
        : {}),
      requireTls: deps.config.smtpRequireTls,
      log: app.log,
    });
    runtime.smtpPort = smtp.port;
    imap = startImapFetcher({
      pool: deps.database.pool,
      databaseUrl: deps.database.url,
      wakeInbound: runtime.wakeInbound,
      box: runtime.box,
      maxMessageBytes: deps.config.smtpMaxMessageBytes,
      log: app.log,
    });
    runtime.imap = imap;
    timers.push(
      setInterval(() => {
        if (polling) return;
        polling = true;
        enqueueOutboundReplies({ pool: deps.database.pool, jobs: runtime.jobs })
          .catch((err: unknown) => app.log.error({ err }, 'email: reading replies to send failed'))
          .finally(() => {
            polling = false;
          });
      }, OUTBOUND_POLL_MS),
      setInterval(() => {
        requeueStrandedOutbound({ db: deps.db, jobs: runtime.jobs, now }).catch((err: unknown) =>
          app.log.error({ err }, 'email: sweep of stranded outbound mail failed'),
        );
      }, SWEEP_MS),
    );
  });

  app.addHook('onClose', async () => {
    for (const t of timers) clearInterval(t);
    await smtp?.close();
    await imap?.stop();
    await inbound?.stop();
    while (polling) await new Promise((r) => setTimeout(r, 20));
    await runtime.jobs.stop();
    transport?.close();
  });
}

/** The signed HTTP inbound hook, registered outside /api/v1 (providers authenticate by signature, not session). */
export async function emailHooksModule(app: FastifyInstance): Promise<void> {
  const runtime = emailRuntime(app.deps, (err) => app.log.error({ err }, 'email jobs'));
  await app.register(emailHooksRoutes, { runtime });
}

export { signHookBody } from './email-hooks.routes.ts';
export { parseEmail } from './parse-email.ts';
