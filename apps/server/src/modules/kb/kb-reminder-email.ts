import { and, eq } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { events, kbAnnouncementReceipts, kbAnnouncements, staffUsers } from '../../platform/db/schema/index.ts';
import {
  deskBaseUrl,
  escapeHtml,
  type NoticeMail,
  noReplyAddress,
  type OutboundEmailRow,
} from '../insights/deliver-notice-email.ts';
import { articleHtmlToText } from './kb-body.ts';

/** outbound_emails.kind of an announcement reminder; the key is `kb_reminder:<reminded event id>:<staff id>` */
export const REMINDER_KIND = 'kb_reminder';

const TEXT = {
  en: {
    subject: (title: string) => `Please read: ${title}`,
    hello: (n: string) => `Hello ${n},`,
    body: (title: string) =>
      `You have not acknowledged the announcement "${title}" yet. Please read it and click "I have read this".`,
    open: 'Open the announcement',
    why: 'You get this because the announcement is meant for you and you have not acknowledged it.',
  },
  bn: {
    subject: (title: string) => `অনুগ্রহ করে পড়ুন: ${title}`,
    hello: (n: string) => `নমস্কার ${n},`,
    body: (title: string) => `আপনি এখনও "${title}" ঘোষণাটি পড়েছেন বলে জানাননি। অনুগ্রহ করে পড়ে "আমি এটি পড়েছি" চাপুন।`,
    open: 'ঘোষণাটি খুলুন',
    why: 'ঘোষণাটি আপনার জন্য এবং আপনি এখনও তা স্বীকার করেননি বলে এটি পাচ্ছেন।',
  },
  hi: {
    subject: (title: string) => `कृपया पढ़ें: ${title}`,
    hello: (n: string) => `नमस्ते ${n},`,
    body: (title: string) =>
      `आपने अभी तक "${title}" घोषणा को पढ़कर स्वीकार नहीं किया है। कृपया इसे पढ़ें और "मैंने इसे पढ़ लिया है" दबाएँ।`,
    open: 'घोषणा खोलें',
    why: 'आपको यह इसलिए मिला है क्योंकि यह घोषणा आपके लिए है और आपने इसे अभी तक स्वीकार नहीं किया है।',
  },
} as const;

export function renderReminderEmail(
  locale: string,
  f: { name: string; title: string; excerpt: string; url: string },
): { subject: string; text: string; html: string } {
  const lang = (locale.split('-')[0] ?? 'en') as keyof typeof TEXT;
  const tx = TEXT[lang] ?? TEXT.en;
  const title = f.title.replace(/[\r\n]+/g, ' ').slice(0, 200);
  const text = [tx.hello(f.name), '', tx.body(title), '', f.excerpt, '', `${tx.open}: ${f.url}`, '', tx.why].join('\n');
  const html = `<p>${escapeHtml(tx.hello(f.name))}</p>
<p>${escapeHtml(tx.body(title))}</p>
<blockquote>${escapeHtml(f.excerpt).replace(/\n/g, '<br>')}</blockquote>
<p><a href="${escapeHtml(f.url)}">${escapeHtml(tx.open)}</a></p>
<p style="color:#6b7280;font-size:90%">${escapeHtml(tx.why)}</p>`;
  return { subject: tx.subject(title), text, html };
}

/** The agent app's link to one announcement (the knowledge-base page scrolls to it). */
export function announcementUrl(config: Pick<Config, 'publicUrl' | 'port'>, announcementId: string): string {
  return `${deskBaseUrl(config)}/kb#announcement-${announcementId}`;
}

/**
 * The reminder for one queued row, written when it is sent, in the person's language. Not sent when the person has
 * acknowledged in the meantime, is no longer active, or the announcement is no longer published.
 */
export async function composeReminderEmail(
  deps: { config: Config },
  tx: DbOrTx,
  row: OutboundEmailRow,
): Promise<NoticeMail> {
  const [, eventId, staffId] = row.idempotencyKey.split(':');
  if (!eventId || !/^\d+$/.test(eventId) || !staffId) return { skip: 'malformed key' };
  const [ev] = await tx
    .select({ payload: events.payload })
    .from(events)
    .where(eq(events.id, Number(eventId)));
  const announcementId = (ev?.payload as { announcementId?: unknown } | undefined)?.announcementId;
  if (typeof announcementId !== 'string') return { skip: 'the reminder is gone' };
  const [a] = await tx.select().from(kbAnnouncements).where(eq(kbAnnouncements.id, announcementId));
  const [person] = await tx.select().from(staffUsers).where(eq(staffUsers.id, staffId));
  if (a?.status !== 'published') return { skip: 'the announcement is no longer published' };
  if (person?.status !== 'active') return { skip: 'the person is no longer active' };
  const [ack] = await tx
    .select({ at: kbAnnouncementReceipts.acknowledgedAt })
    .from(kbAnnouncementReceipts)
    .where(and(eq(kbAnnouncementReceipts.announcementId, a.id), eq(kbAnnouncementReceipts.userId, person.id)));
  if (ack) return { skip: 'already acknowledged' };
  const plain = articleHtmlToText(a.bodyHtml);
  const mail = renderReminderEmail(person.locale, {
    name: person.name,
    title: a.title,
    excerpt: plain.length > 600 ? `${plain.slice(0, 600)}…` : plain,
    url: announcementUrl(deps.config, a.id),
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
