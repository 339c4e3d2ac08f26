import { and, eq, sql } from 'drizzle-orm';
import type { Mail } from 'nodemailer';
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/client.ts';
import { digestSends, staffUsers } from '../../platform/db/schema/index.ts';
import { rows } from './improve.repository.ts';
import { getRecognitionSettings, periodStart, tallies } from './recognition.service.ts';
import { renderDigestEmail } from './weekly-digest-mail.ts';

/** The digest goes out on Monday from this hour (UTC), about the week that just ended. */
export const DIGEST_HOUR_UTC = 6;

/**
 * Sends last week's digest to every active person once (a row per person and week claims it first, so several
 * workers or restarts never send twice). Nothing is sent while recognition is switched off or no relay is set.
 */
export async function sendWeeklyDigests(deps: { db: Db; config: Config; now: Date; transport: Mail | null }): Promise<number> {
  const { db, now } = deps;
  const thisWeek = periodStart('week', now);
  if (now.getTime() < thisWeek.getTime() + DIGEST_HOUR_UTC * 3_600_000) return 0;
  if (!deps.transport) return 0;
  const settings = await getRecognitionSettings(db);
  if (!settings.enabled) return 0;
  const from = new Date(thisWeek.getTime() - 7 * 86_400_000);
  const week = from.toISOString().slice(0, 10);
  const people = await db.select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email, locale: staffUsers.locale }).from(staffUsers).where(eq(staffUsers.status, 'active'));
  const byPerson = new Map((await tallies(db, from, thisWeek)).map((t) => [t.staff_id, t]));
  const deskUrl = `${(deps.config.publicUrl ?? `http://localhost:${deps.config.port}`).replace(/\/+$/, '')}/recognition`;
  let sent = 0;
  for (const p of people) {
    const claimed = await db.insert(digestSends).values({ userId: p.id, week }).onConflictDoNothing().returning();
    if (claimed.length === 0) continue;
    const mine = byPerson.get(p.id);
    const kudos = await rows<{ message: string; from_name: string | null }>(
      db,
      sql`SELECT k.message, s.name AS from_name FROM kudos k LEFT JOIN staff_users s ON s.id = k.from_staff_id
          WHERE k.to_staff_id = ${p.id} AND k.created_at >= ${from.toISOString()}::timestamptz AND k.created_at < ${thisWeek.toISOString()}::timestamptz
          ORDER BY k.created_at LIMIT 10`,
    );
    // nothing happened for them: no email (the claimed row keeps it from being looked at again)
    if (!mine?.points && !mine?.solved && !mine?.good_ratings && kudos.length === 0) {
      await db.update(digestSends).set({ status: 'skipped' }).where(and(eq(digestSends.userId, p.id), eq(digestSends.week, week)));
      continue;
    }
    const mail = renderDigestEmail(p.locale, {
      name: p.name,
      points: mine?.points ?? 0,
      solved: mine?.solved ?? 0,
      firstContactResolutions: mine?.fcr ?? 0,
      goodRatings: mine?.good_ratings ?? 0,
      kudos: kudos.map((k) => ({ from: k.from_name, message: k.message })),
      deskUrl,
    });
    try {
      await deps.transport.sendMail({
        from: deps.config.smtpRelayUrl ? `Seva <no-reply@${new URL(deskUrl).hostname || 'localhost'}>` : undefined,
        to: p.email,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      await db.update(digestSends).set({ status: 'sent', sentAt: now }).where(and(eq(digestSends.userId, p.id), eq(digestSends.week, week)));
      sent += 1;
    } catch (err) {
      await db
        .update(digestSends)
        .set({ status: 'failed', error: (err instanceof Error ? err.message : String(err)).slice(0, 500) })
        .where(and(eq(digestSends.userId, p.id), eq(digestSends.week, week)));
    }
  }
  return sent;
}
