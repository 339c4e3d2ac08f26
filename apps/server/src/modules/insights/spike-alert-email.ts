import { randomUUID } from 'node:crypto';
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { categories, insightAlerts, outboundEmails, staffUsers } from '../../platform/db/schema/index.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import {
  deskBaseUrl,
  escapeHtml,
  type NoticeMail,
  noReplyAddress,
  type OutboundEmailRow,
} from './deliver-notice-email.ts';
import { sendSpikeAlertEmailJob } from './insights.jobs.ts';
import { readEventOutbox } from './read-event-outbox.ts';

export const SPIKE_EMAIL_CURSOR = 'insights.spike_emails';
/**
 * A spike lasting several hours raises an alert every hour; people are mailed about a category once, then not
 * again until it has been quiet (no alert) for this long.
 */
export const SPIKE_MAIL_QUIET_HOURS = 6;
const HOUR_MS = 3_600_000;

const TEXT = {
  en: {
    subject: (c: string) => `Spike: many more tickets about ${c} than usual`,
    hello: (n: string) => `Hello ${n},`,
    body: (c: string, n: string, b: string, r: string, h: string) =>
      `${n} tickets about "${c}" arrived in the hour from ${h} — usually about ${b} (${r}× the usual).`,
    open: 'See it on the Insights dashboard',
    why: 'You get this because you are on the spike alert list of the help desk.',
  },
  bn: {
    subject: (c: string) => `হঠাৎ বৃদ্ধি: ${c} নিয়ে স্বাভাবিকের চেয়ে অনেক বেশি টিকিট`,
    hello: (n: string) => `নমস্কার ${n},`,
    body: (c: string, n: string, b: string, r: string, h: string) =>
      `${h} থেকে এক ঘণ্টায় "${c}" নিয়ে ${n}টি টিকিট এসেছে — সাধারণত প্রায় ${b}টি (স্বাভাবিকের ${r} গুণ)।`,
    open: 'ইনসাইটস ড্যাশবোর্ডে দেখুন',
    why: 'আপনি হেল্প ডেস্কের হঠাৎ-বৃদ্ধি সতর্কতার তালিকায় আছেন বলে এটি পাচ্ছেন।',
  },
  hi: {
    subject: (c: string) => `अचानक उछाल: ${c} पर सामान्य से कहीं ज़्यादा टिकट`,
    hello: (n: string) => `नमस्ते ${n},`,
    body: (c: string, n: string, b: string, r: string, h: string) =>
      `${h} से एक घंटे में "${c}" पर ${n} टिकट आए — आम तौर पर लगभग ${b} (सामान्य के ${r} गुना)।`,
    open: 'इनसाइट्स डैशबोर्ड पर देखें',
    why: 'आपको यह इसलिए मिला है क्योंकि आप हेल्प डेस्क की उछाल-चेतावनी सूची में हैं।',
  },
} as const;

export interface SpikeAlertFacts {
  name: string;
  category: string;
  count: number;
  baseline: number;
  ratio: number;
  hour: Date;
  timeZone: string;
  dashboardUrl: string;
}

export function renderSpikeAlertEmail(
  locale: string,
  f: SpikeAlertFacts,
): { subject: string; text: string; html: string } {
  const lang = (locale.split('-')[0] ?? 'en') as keyof typeof TEXT;
  const tx = TEXT[lang] ?? TEXT.en;
  const intl = lang === 'en' ? 'en-IN' : `${lang}-IN`;
  const num = (n: number, digits = 0) => new Intl.NumberFormat(intl, { maximumFractionDigits: digits }).format(n);
  const when = new Intl.DateTimeFormat(intl, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: f.timeZone,
    timeZoneName: 'short',
  }).format(f.hour);
  const category = f.category.replace(/[\r\n]+/g, ' ').slice(0, 200);
  const line = tx.body(category, num(f.count), num(f.baseline, 1), num(f.ratio, 1), when);
  const text = [tx.hello(f.name), '', line, '', `${tx.open}: ${f.dashboardUrl}`, '', tx.why].join('\n');
  const html = `<p>${escapeHtml(tx.hello(f.name))}</p>
<p>${escapeHtml(line)}</p>
<p><a href="${escapeHtml(f.dashboardUrl)}">${escapeHtml(tx.open)}</a></p>
<p style="color:#6b7280;font-size:90%">${escapeHtml(tx.why)}</p>`;
  return { subject: tx.subject(category), text, html };
}

/**
 * Turns `insights.spike_detected` events into one queued email per chosen person (`spike:<alert>:<person>`), unless
 * the same category already alerted within the quiet period before this hour: a spike mails once.
 */
export async function enqueueSpikeAlertEmails(ctx: { pool: pg.Pool; jobs: Jobs }): Promise<number> {
  let queued = 0;
  await readEventOutbox(ctx.pool, {
    cursor: SPIKE_EMAIL_CURSOR,
    types: ['insights.spike_detected'],
    handle: async ({ tx, client, events }) => {
      for (const e of events) {
        const alertId = typeof e.payload.alertId === 'string' ? e.payload.alertId : null;
        if (!alertId) continue;
        const [alert] = await tx.select().from(insightAlerts).where(eq(insightAlerts.id, alertId));
        if (!alert || alert.recipientIds.length === 0) continue;
        const [earlier] = await tx
          .select({ id: insightAlerts.id })
          .from(insightAlerts)
          .where(
            and(
              eq(insightAlerts.kind, alert.kind),
              eq(insightAlerts.categoryKey, alert.categoryKey),
              gte(insightAlerts.hour, new Date(alert.hour.getTime() - SPIKE_MAIL_QUIET_HOURS * HOUR_MS)),
              lt(insightAlerts.hour, alert.hour),
            ),
          )
          .limit(1);
        const people = await tx
          .select({ id: staffUsers.id, email: staffUsers.email })
          .from(staffUsers)
          .where(and(inArray(staffUsers.id, alert.recipientIds), eq(staffUsers.status, 'active')));
        for (const p of people) {
          const skip = earlier ? 'the same spike was mailed within the quiet period' : null;
          const [out] = await tx
            .insert(outboundEmails)
            .values({
              idempotencyKey: `spike:${alert.id}:${p.id}`,
              kind: 'spike_alert',
              recipient: p.email.toLowerCase(),
              messageIdHeader: `seva.alert.${randomUUID()}@seva.invalid`,
              status: skip ? 'skipped' : 'queued',
              error: skip,
            })
            .onConflictDoNothing()
            .returning({ id: outboundEmails.id });
          if (!out || skip) continue;
          await ctx.jobs.send(sendSpikeAlertEmailJob, { outboundEmailId: out.id }, { client, singletonKey: out.id });
          queued += 1;
        }
      }
    },
  });
  return queued;
}

export async function composeSpikeAlertEmail(
  deps: { config: Config },
  tx: DbOrTx,
  row: OutboundEmailRow,
): Promise<NoticeMail> {
  const [, alertId, staffId] = row.idempotencyKey.split(':');
  if (!alertId || !staffId) return { skip: 'malformed key' };
  const [alert] = await tx.select().from(insightAlerts).where(eq(insightAlerts.id, alertId));
  const [person] = await tx.select().from(staffUsers).where(eq(staffUsers.id, staffId));
  if (!alert || !person || person.status !== 'active') return { skip: 'the alert or the person is gone' };
  const [cat] = await tx
    .select({ name: categories.name })
    .from(categories)
    .where(sql`${categories.id}::text = ${alert.categoryKey}`);
  const from = new Date(alert.hour.getTime() - 6 * 86_400_000).toISOString();
  const to = new Date(alert.hour.getTime() + HOUR_MS).toISOString();
  const dashboardUrl = `${deskBaseUrl(deps.config)}/insights?${new URLSearchParams({ categoryId: alert.categoryKey, from, to })}`;
  const mail = renderSpikeAlertEmail(person.locale, {
    name: person.name,
    category: cat?.name ?? alert.categoryKey,
    count: alert.count,
    baseline: alert.baseline,
    ratio: alert.ratio,
    hour: alert.hour,
    timeZone: 'UTC',
    dashboardUrl,
  });
  return {
    mail: {
      from: { name: 'Seva', address: noReplyAddress(deps.config.publicUrl) },
      to: row.recipient,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    },
  };
}
