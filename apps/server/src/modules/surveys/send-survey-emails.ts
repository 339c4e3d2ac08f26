import { randomUUID } from 'node:crypto';
import type { SurveyKind } from '@seva/contracts';
import { asc, eq, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import {
  customerIdentities,
  customers,
  emailThreads,
  mailboxes,
  outboundEmails,
  surveyRequests,
  tickets,
} from '../../platform/db/schema/index.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import {
  deskBaseUrl,
  type NoticeMail,
  noReplyAddress,
  type OutboundEmailRow,
} from '../insights/deliver-notice-email.ts';
import { sendSurveyEmailJob } from '../insights/insights.jobs.ts';
import { readEventOutbox } from '../insights/read-event-outbox.ts';
import { renderSurveyEmail } from './survey-email.ts';
import { signSurveyToken, surveySigningKey } from './survey-token.ts';
import { customQuestion, getSurveySettings } from './surveys-settings.ts';

export const SURVEY_EMAIL_CURSOR = 'surveys.emails';
const KEY_PREFIX = 'survey:';

/** The mailbox a survey goes out from: the ticket's email thread, else the team's default, else the first active one. */
async function surveyMailbox(
  tx: DbOrTx,
  ticketId: string | null,
  teamId: string | null,
): Promise<typeof mailboxes.$inferSelect | null> {
  if (ticketId) {
    const [t] = await tx
      .select({ m: mailboxes })
      .from(emailThreads)
      .innerJoin(mailboxes, eq(mailboxes.id, emailThreads.mailboxId))
      .where(eq(emailThreads.ticketId, ticketId));
    if (t && t.m.status === 'active') return t.m;
  }
  const [m] = await tx
    .select()
    .from(mailboxes)
    .where(eq(mailboxes.status, 'active'))
    .orderBy(
      sql`(${mailboxes.teamId} IS NOT DISTINCT FROM ${teamId}::uuid AND ${mailboxes.isTeamDefault}) DESC`,
      asc(mailboxes.createdAt),
    )
    .limit(1);
  return m ?? null;
}

/**
 * Turns `survey.requested` events into queued survey emails (one `outbound_emails` row per survey, keyed
 * `survey:<id>`, and a job sent in the same transaction). Sampling and the per-customer cap were applied when the
 * request was made; a customer without an email address gets a row marked skipped (the widget can still ask).
 */
export async function enqueueSurveyEmails(ctx: { pool: pg.Pool; jobs: Jobs }): Promise<number> {
  let queued = 0;
  await readEventOutbox(ctx.pool, {
    cursor: SURVEY_EMAIL_CURSOR,
    types: ['survey.requested'],
    handle: async ({ tx, client, events }) => {
      // the desk may wait a while after the solve (a reopened ticket's survey is then skipped as not pending)
      const delaySeconds = (await getSurveySettings(tx)).delayMinutes * 60;
      for (const e of events) {
        const surveyId = typeof e.payload.surveyId === 'string' ? e.payload.surveyId : null;
        if (!surveyId) continue;
        const [done] = await tx
          .select({ id: outboundEmails.id })
          .from(outboundEmails)
          .where(eq(outboundEmails.idempotencyKey, `${KEY_PREFIX}${surveyId}`));
        if (done) continue;
        const [s] = await tx.select().from(surveyRequests).where(eq(surveyRequests.id, surveyId));
        if (!s) continue;
        const [email] = await tx
          .select({ value: customerIdentities.value })
          .from(customerIdentities)
          .where(sql`${customerIdentities.customerId} = ${s.customerId} AND ${customerIdentities.kind} = 'email'`)
          .orderBy(sql`${customerIdentities.isPrimary} DESC`, asc(customerIdentities.createdAt))
          .limit(1);
        const mailbox = await surveyMailbox(tx, s.ticketId, s.teamId);
        const domain = mailbox?.address.split('@')[1] ?? 'seva.invalid';
        const skip = !email
          ? 'the customer has no email address'
          : s.status !== 'pending'
            ? `the survey is ${s.status}`
            : null;
        const [out] = await tx
          .insert(outboundEmails)
          .values({
            idempotencyKey: `${KEY_PREFIX}${surveyId}`,
            kind: 'survey',
            ticketId: s.ticketId,
            mailboxId: mailbox?.id ?? null,
            recipient: (email?.value ?? '').toLowerCase(),
            messageIdHeader: `seva.survey.${randomUUID()}@${domain}`,
            status: skip ? 'skipped' : 'queued',
            error: skip,
          })
          .onConflictDoNothing()
          .returning({ id: outboundEmails.id });
        if (!out || skip) continue;
        await ctx.jobs.send(
          sendSurveyEmailJob,
          { outboundEmailId: out.id },
          { client, singletonKey: out.id, ...(delaySeconds > 0 ? { startAfterSeconds: delaySeconds } : {}) },
        );
        queued += 1;
      }
    },
  });
  return queued;
}

/** The survey email for a queued row, or why it is not sent any more (answered in the widget meanwhile, expired). */
export async function composeSurveyEmail(
  deps: { config: Config; now: () => Date },
  tx: DbOrTx,
  row: OutboundEmailRow,
): Promise<NoticeMail> {
  const surveyId = row.idempotencyKey.slice(KEY_PREFIX.length);
  const [s] = await tx.select().from(surveyRequests).where(eq(surveyRequests.id, surveyId));
  if (!s) return { skip: 'the survey is gone' };
  if (s.status !== 'pending') return { skip: `the survey is ${s.status}` };
  if (s.expiresAt <= deps.now()) return { skip: 'the survey expired before it could be sent' };
  const [ticket] = s.ticketId
    ? await tx.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, s.ticketId))
    : [];
  const [customer] = await tx.select({ name: customers.name }).from(customers).where(eq(customers.id, s.customerId));
  const [mailbox] = row.mailboxId ? await tx.select().from(mailboxes).where(eq(mailboxes.id, row.mailboxId)) : [];
  const [thread] = s.ticketId ? await tx.select().from(emailThreads).where(eq(emailThreads.ticketId, s.ticketId)) : [];
  const key = await surveySigningKey(tx, deps.config.secret);
  const surveyUrl = `${deskBaseUrl(deps.config)}/survey/${signSurveyToken(key, s.id)}`;
  const rendered = renderSurveyEmail({
    kind: s.kind as SurveyKind,
    language: s.language,
    ticketNumber: ticket?.number ?? 0,
    customerName: customer?.name ?? '',
    surveyUrl,
    question: customQuestion(await getSurveySettings(tx), s.kind as SurveyKind, s.language),
  });
  const from = mailbox
    ? { name: mailbox.fromName || mailbox.name, address: mailbox.address }
    : { name: 'Seva', address: noReplyAddress(deps.config.publicUrl) };
  const [local, domain] = (mailbox?.address ?? '').split('@');
  return {
    mail: {
      from,
      to: row.recipient,
      // an answer by email lands on the ticket, like any reply
      ...(mailbox && thread && thread.mailboxId === mailbox.id
        ? { replyTo: `${local}+${thread.replyToken}@${domain}` }
        : {}),
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers: {
        'Auto-Submitted': 'auto-generated',
        'X-Auto-Response-Suppress': 'All',
        ...(ticket ? { 'X-Seva-Ticket': String(ticket.number) } : {}),
      },
    },
  };
}
