import { BADGES } from '@seva/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { hasPermission, type StaffActor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { iso, rows } from './improve.repository.ts';
import { HELPFUL_CAP, POINTS } from './scoring.ts';

type ServiceDeps = Pick<Deps, 'db' | 'clock'>;

export interface RecognitionSettings {
  enabled: boolean;
  leaderboardVisibility: 'everyone' | 'managers';
  firstNamesOnly: boolean;
}

export async function getRecognitionSettings(db: DbOrTx): Promise<RecognitionSettings> {
  const [r] = await rows<{ enabled: number; leaderboard_visibility: string; first_names_only: number }>(
    db,
    sql`SELECT enabled, leaderboard_visibility, first_names_only FROM recognition_settings WHERE id = 1`,
  );
  return {
    enabled: r ? r.enabled > 0 : true,
    leaderboardVisibility: (r?.leaderboard_visibility as 'everyone' | 'managers' | undefined) ?? 'everyone',
    firstNamesOnly: r ? r.first_names_only > 0 : false,
  };
}

export async function updateRecognitionSettings(
  deps: ServiceDeps,
  input: { actor: StaffActor; body: Partial<RecognitionSettings> },
): Promise<RecognitionSettings> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const cur = await getRecognitionSettings(tx);
    const next = { ...cur, ...input.body };
    await tx.execute(sql`INSERT INTO recognition_settings (id, enabled, leaderboard_visibility, first_names_only, updated_at)
      VALUES (1, ${next.enabled ? 1 : 0}, ${next.leaderboardVisibility}, ${next.firstNamesOnly ? 1 : 0}, ${now.toISOString()}::timestamptz)
      ON CONFLICT (id) DO UPDATE SET enabled = EXCLUDED.enabled, leaderboard_visibility = EXCLUDED.leaderboard_visibility,
        first_names_only = EXCLUDED.first_names_only, updated_at = EXCLUDED.updated_at`);
    await recordEvent(tx, { type: 'recognition.settings_changed', actor: input.actor, payload: next, at: now });
  });
  return getRecognitionSettings(deps.db);
}

const off = () => new AppError('CONFLICT', 'Recognition is turned off for this desk');

export type Period = 'week' | 'month' | 'quarter';

/** The current period's start, in UTC (weeks start on Monday). */
export function periodStart(period: Period, now: Date): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (period === 'week') {
    const dow = (d.getUTCDay() + 6) % 7;
    return new Date(d.getTime() - dow * 86_400_000);
  }
  if (period === 'month') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1));
}

export interface Tally {
  staff_id: string;
  name: string;
  points: number;
  solved: number;
  fcr: number;
  reopened: number;
  kudos: number;
  good_ratings: number;
  bad_ratings: number;
  helpful_votes: number;
}

/** Points per person in [from, to): the award ledger plus answered CSAT ratings of their tickets. */
export async function tallies(db: DbOrTx, from: Date, to: Date, teamId?: string): Promise<Tally[]> {
  const team: SQL = teamId ? sql`AND s.id IN (SELECT user_id FROM team_members WHERE team_id = ${teamId})` : sql``;
  return rows<Tally>(
    db,
    sql`WITH ledger AS (
          SELECT staff_id, sum(points)::int AS points,
            count(*) FILTER (WHERE reason = 'solved')::int AS solved,
            (count(*) FILTER (WHERE reason = 'first_contact_resolution') - count(*) FILTER (WHERE reason = 'first_contact_resolution_revoked'))::int AS fcr,
            count(*) FILTER (WHERE reason = 'reopened')::int AS reopened,
            count(*) FILTER (WHERE reason = 'kudos')::int AS kudos
          FROM recognition_awards WHERE created_at >= ${from.toISOString()}::timestamptz AND created_at < ${to.toISOString()}::timestamptz
          GROUP BY staff_id),
        ratings AS (
          SELECT assignee_id AS staff_id,
            count(*) FILTER (WHERE rating >= 4)::int AS good, count(*) FILTER (WHERE rating <= 2)::int AS bad
          FROM survey_requests WHERE kind = 'csat' AND status = 'answered' AND assignee_id IS NOT NULL
            AND answered_at >= ${from.toISOString()}::timestamptz AND answered_at < ${to.toISOString()}::timestamptz
          GROUP BY assignee_id),
        helpful AS (
          SELECT v.created_by_id AS staff_id, least(count(*), ${HELPFUL_CAP})::int AS votes
          FROM kb_feedback f JOIN kb_article_versions v ON v.translation_id = f.translation_id AND v.version = 1
          WHERE f.is_helpful AND v.created_by_id IS NOT NULL
            AND f.created_at >= ${from.toISOString()}::timestamptz AND f.created_at < ${to.toISOString()}::timestamptz
          GROUP BY v.created_by_id)
        SELECT s.id AS staff_id, s.name,
          (coalesce(l.points, 0) + ${POINTS.goodRating} * coalesce(r.good, 0) + ${POINTS.badRating} * coalesce(r.bad, 0)
            + ${POINTS.helpfulArticleVote} * coalesce(h.votes, 0))::int AS points,
          coalesce(l.solved, 0) AS solved, coalesce(l.fcr, 0) AS fcr, coalesce(l.reopened, 0) AS reopened,
          coalesce(l.kudos, 0) AS kudos, coalesce(r.good, 0) AS good_ratings, coalesce(r.bad, 0) AS bad_ratings,
          coalesce(h.votes, 0) AS helpful_votes
        FROM staff_users s
        LEFT JOIN ledger l ON l.staff_id = s.id LEFT JOIN ratings r ON r.staff_id = s.id LEFT JOIN helpful h ON h.staff_id = s.id
        WHERE (l.staff_id IS NOT NULL OR r.staff_id IS NOT NULL OR h.staff_id IS NOT NULL) ${team}
        ORDER BY points DESC, s.name, s.id`,
  );
}

type Badge = (typeof BADGES)[number];

export function badgesFor(t: Pick<Tally, 'fcr' | 'good_ratings' | 'solved' | 'reopened' | 'kudos'>): Badge[] {
  const b: Badge[] = [];
  if (t.fcr >= 5) b.push('first_contact_hero');
  if (t.good_ratings >= 5) b.push('five_stars');
  if (t.solved >= 10 && t.reopened === 0) b.push('steady_hands');
  if (t.kudos >= 3) b.push('appreciated');
  return b;
}

export interface LeaderboardRow {
  rank: number;
  staff: { id: string; name: string };
  points: number;
  solved: number;
  firstContactResolutions: number;
  reopened: number;
  goodRatings: number;
  badRatings: number;
  kudos: number;
  badges: Badge[];
}

/**
 * Individual and team leaderboards for a period. With visibility "managers", people without reports:read see only
 * their own row; with "first names only", peers see first names.
 */
export async function leaderboard(
  deps: ServiceDeps,
  input: { actor: StaffActor; period: Period; teamId?: string | undefined },
): Promise<{ period: Period; from: string; to: string; people: LeaderboardRow[]; teams: Array<{ id: string; name: string; points: number; members: number }> }> {
  const settings = await getRecognitionSettings(deps.db);
  if (!settings.enabled) throw off();
  const now = deps.clock.now();
  const from = periodStart(input.period, now);
  const all = await tallies(deps.db, from, new Date(now.getTime() + 1), input.teamId);
  const manager = hasPermission(input.actor, 'reports:read');
  const people = all
    .map((t, i) => ({
      rank: i + 1,
      staff: {
        id: t.staff_id,
        name: settings.firstNamesOnly && !manager && t.staff_id !== input.actor.userId ? (t.name.split(/\s+/)[0] ?? t.name) : t.name,
      },
      points: t.points,
      solved: t.solved,
      firstContactResolutions: t.fcr,
      reopened: t.reopened,
      goodRatings: t.good_ratings,
      badRatings: t.bad_ratings,
      kudos: t.kudos,
      badges: badgesFor(t),
    }))
    .filter((r) => settings.leaderboardVisibility === 'everyone' || manager || r.staff.id === input.actor.userId);
  const teamRows = await rows<{ id: string; name: string; members: number }>(
    deps.db,
    sql`SELECT t.id, t.name, count(m.user_id)::int AS members FROM teams t LEFT JOIN team_members m ON m.team_id = t.id GROUP BY t.id ORDER BY t.name`,
  );
  const memberships = await rows<{ team_id: string; user_id: string }>(deps.db, sql`SELECT team_id, user_id FROM team_members`);
  const pointsOf = new Map(all.map((t) => [t.staff_id, t.points]));
  const teams = teamRows
    .map((t) => ({
      ...t,
      points: memberships.filter((m) => m.team_id === t.id).reduce((s, m) => s + (pointsOf.get(m.user_id) ?? 0), 0),
    }))
    .sort((a, b) => b.points - a.points || a.name.localeCompare(b.name));
  return { period: input.period, from: from.toISOString(), to: now.toISOString(), people, teams };
}

/**
 * Monthly awards for a calendar month (YYYY-MM): most points, most first-contact resolutions, most good ratings.
 */
export async function monthlyAwards(deps: ServiceDeps, month: string) {
  const settings = await getRecognitionSettings(deps.db);
  if (!settings.enabled) throw off();
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1));
  const to = new Date(Date.UTC(y, m, 1));
  const all = await tallies(deps.db, from, to);
  const best = (key: keyof Tally) => {
    const top = [...all].sort((a, b) => Number(b[key]) - Number(a[key]))[0];
    return top && Number(top[key]) > 0 ? { staff: { id: top.staff_id, name: top.name }, value: Number(top[key]) } : null;
  };
  return { month, mostPoints: best('points'), mostFirstContactResolutions: best('fcr'), mostGoodRatings: best('good_ratings') };
}

/** Customers' good comments, newest first: the "thank you" wall the team sees. */
export async function customerThanks(deps: ServiceDeps, limit: number) {
  const settings = await getRecognitionSettings(deps.db);
  if (!settings.enabled) throw off();
  const found = await rows<{ id: string; comment: string; rating: number; answered_at: Date; ticket_id: string | null; number: string | null; staff_id: string | null; staff_name: string | null }>(
    deps.db,
    sql`SELECT s.id, s.comment, s.rating, s.answered_at, t.id AS ticket_id, t.number, u.id AS staff_id, u.name AS staff_name
        FROM survey_requests s LEFT JOIN tickets t ON t.id = s.ticket_id LEFT JOIN staff_users u ON u.id = s.assignee_id
        WHERE s.kind = 'csat' AND s.status = 'answered' AND s.rating >= 4 AND coalesce(s.comment, '') <> ''
        ORDER BY s.answered_at DESC LIMIT ${limit}`,
  );
  return {
    items: found.map((r) => ({
      id: r.id,
      comment: r.comment,
      rating: r.rating,
      answeredAt: iso(r.answered_at),
      ticket: r.ticket_id && r.number ? { id: r.ticket_id, number: Number(r.number) } : null,
      staff: r.staff_id && r.staff_name ? { id: r.staff_id, name: r.staff_name } : null,
    })),
  };
}

/** What went well for one person this week: the weekly digest. */
export async function weeklyDigest(deps: ServiceDeps, actor: StaffActor) {
  const settings = await getRecognitionSettings(deps.db);
  if (!settings.enabled) throw off();
  const now = deps.clock.now();
  const from = periodStart('week', now);
  const [mine] = (await tallies(deps.db, from, new Date(now.getTime() + 1))).filter((t) => t.staff_id === actor.userId);
  const kudos = await rows<{ message: string; from_name: string | null; created_at: Date }>(
    deps.db,
    sql`SELECT k.message, s.name AS from_name, k.created_at FROM kudos k LEFT JOIN staff_users s ON s.id = k.from_staff_id
        WHERE k.to_staff_id = ${actor.userId} AND k.created_at >= ${from.toISOString()}::timestamptz ORDER BY k.created_at DESC LIMIT 20`,
  );
  return {
    from: from.toISOString(),
    points: mine?.points ?? 0,
    solved: mine?.solved ?? 0,
    firstContactResolutions: mine?.fcr ?? 0,
    goodRatings: mine?.good_ratings ?? 0,
    badges: mine ? badgesFor(mine) : [],
    kudos: kudos.map((k) => ({ message: k.message, from: k.from_name, at: iso(k.created_at) })),
  };
}
