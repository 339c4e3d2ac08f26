import { eq, sql } from 'drizzle-orm';
import type { Mail } from 'nodemailer';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import type { Db, DbOrTx } from '../../platform/db/client.ts';
import { outboundEmails } from '../../platform/db/schema/index.ts';
import type { JobContext } from '../../platform/jobs/jobs.ts';

export type OutboundEmailRow = typeof outboundEmails.$inferSelect;

export interface NoticeDeps {
  db: Db;
  now: () => Date;
  /** the relay transport (one per process), null when SEVA_SMTP_RELAY_URL is not set */
  transport: () => Mail | null;
}

/** What to send for a queued row, or why it is no longer worth sending (the row is then marked skipped). */
export type NoticeMail = { mail: SendMailOptions } | { skip: string };

/**
 * Sends one queued `outbound_emails` row (a survey, a spike alert) through the outbound relay, once. The row is
 * locked for the length of the send, so two runs of the job (a retry racing an expired attempt, a duplicate job)
 * queue behind each other and the second finds it sent; a row already sent, skipped or failed is left alone.
 * Transient failures (4xx, a refused connection) are thrown so pg-boss retries with backoff; a 5xx answer or the
 * last retry marks the row failed with the error. The Message-ID is fixed per row, so even a crash between the
 * relay's answer and the commit (the one case that can send twice) gives the same message twice, not two messages.
 */
export async function deliverNoticeEmail(
  deps: NoticeDeps,
  input: {
    outboundEmailId: string;
    ctx: JobContext;
    compose: (tx: DbOrTx, row: OutboundEmailRow) => Promise<NoticeMail>;
  },
): Promise<'sent' | 'skipped' | 'done'> {
  try {
    return await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(outboundEmails)
        .where(eq(outboundEmails.id, input.outboundEmailId))
        .for('update');
      if (row?.status !== 'queued') return 'done';
      const composed = await input.compose(tx, row);
      if ('skip' in composed) {
        await tx
          .update(outboundEmails)
          .set({ status: 'skipped', error: composed.skip })
          .where(eq(outboundEmails.id, row.id));
        return 'skipped';
      }
      const transport = deps.transport();
      if (!transport) throw new Error('SEVA_SMTP_RELAY_URL is not set, so mail cannot be sent');
      await transport.sendMail({ ...composed.mail, messageId: `<${row.messageIdHeader}>` });
      await tx
        .update(outboundEmails)
        .set({ status: 'sent', sentAt: deps.now(), error: null, attempts: sql`${outboundEmails.attempts} + 1` })
        .where(eq(outboundEmails.id, row.id));
      return 'sent';
    });
  } catch (err) {
    const e = err as { responseCode?: number; message?: string };
    const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
    const last = permanent || input.ctx.retryCount >= input.ctx.retryLimit;
    await deps.db
      .update(outboundEmails)
      .set({
        status: last ? 'failed' : 'queued',
        error: (e.message ?? String(err)).slice(0, 2000),
        attempts: sql`${outboundEmails.attempts} + 1`,
      })
      .where(eq(outboundEmails.id, input.outboundEmailId));
    if (!last) throw err;
    return 'done';
  }
}

/** The address automatic mail comes from when no mailbox fits: no-reply at the desk's public host. */
export function noReplyAddress(publicUrl: string | undefined): string {
  let host = 'localhost';
  try {
    host = new URL(publicUrl ?? 'http://localhost').hostname || 'localhost';
  } catch {
    // keep localhost
  }
  return `no-reply@${host}`;
}

export function deskBaseUrl(config: { publicUrl: string | undefined; port: number }): string {
  return (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
