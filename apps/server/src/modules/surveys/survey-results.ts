import type { SurveyKind, SurveyResults } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.ts';
import { getSurveySettings } from './surveys-settings.ts';

const DAY_MS = 86_400_000;

/** What counts as a good answer per kind: CSAT 4–5, CES 5–7; NPS promoters 9–10 (detractors 0–6). */
function scoreSql(kind: SurveyKind) {
  if (kind === 'nps')
    return sql.raw(
      `(100.0 * (count(*) FILTER (WHERE rating >= 9) - count(*) FILTER (WHERE rating <= 6)) / nullif(count(*), 0))`,
    );
  return sql.raw(`(count(*) FILTER (WHERE rating >= ${kind === 'csat' ? 4 : 5})::float8 / nullif(count(*), 0))`);
}

const round = (v: unknown, places = 4) =>
  v === null || v === undefined ? null : Math.round(Number(v) * 10 ** places) / 10 ** places;

/**
 * Survey results for answers given in the range: the score (CSAT: share of good ratings) against the target,
 * the full distribution, and the same per team, person, category and channel.
 */
export async function surveyResults(
  deps: Deps,
  q: { from?: string | undefined; to?: string | undefined; kind: SurveyKind },
): Promise<SurveyResults> {
  const now = deps.clock.now();
  // the default range includes answers given this very moment
  const to = q.to ? new Date(q.to) : new Date(now.getTime() + 1000);
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
  const cfg = await getSurveySettings(deps.db);
  const inRange = sql`kind = ${q.kind} AND answered_at >= ${from.toISOString()}::timestamptz AND answered_at < ${to.toISOString()}::timestamptz`;
  const db = deps.db;
  const run = async <T>(s: ReturnType<typeof sql>) => (await db.execute(s)).rows as T[];
  const [sent] = await run<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM survey_requests WHERE kind = ${q.kind} AND created_at >= ${from.toISOString()}::timestamptz AND created_at < ${to.toISOString()}::timestamptz`,
  );
  const [overall] = await run<{ n: number; score: number | null; mean: number | null }>(
    sql`SELECT count(*)::int AS n, ${scoreSql(q.kind)} AS score, avg(rating)::float8 AS mean FROM survey_requests WHERE ${inRange}`,
  );
  const dist = await run<{ rating: number; n: number }>(
    sql`SELECT rating, count(*)::int AS n FROM survey_requests WHERE ${inRange} GROUP BY 1`,
  );
  const group = async (col: string, labelSql: string) => {
    const rs = await run<{
      k: string | null;
      label: string | null;
      n: number;
      score: number | null;
      mean: number | null;
    }>(
      sql`SELECT s.${sql.raw(col)}::text AS k, ${sql.raw(labelSql)} AS label, count(*)::int AS n, ${scoreSql(q.kind)} AS score, avg(rating)::float8 AS mean
            FROM survey_requests s ${sql.raw(col === 'team_id' ? 'LEFT JOIN teams x ON x.id = s.team_id' : col === 'assignee_id' ? 'LEFT JOIN staff_users x ON x.id = s.assignee_id' : col === 'category_id' ? 'LEFT JOIN categories x ON x.id = s.category_id' : '')}
           WHERE ${inRange} GROUP BY 1, 2 ORDER BY 3 DESC, 2`,
    );
    return rs.map((r) => ({
      key: r.k ?? 'none',
      label: r.label ?? 'none',
      answered: r.n,
      score: round(r.score),
      mean: round(r.mean, 2),
    }));
  };
  const scale =
    q.kind === 'csat' ? [1, 2, 3, 4, 5] : q.kind === 'ces' ? [1, 2, 3, 4, 5, 6, 7] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const comments = await run<{
    id: string;
    ticket_id: string | null;
    rating: number;
    comment: string;
    answered_at: Date;
  }>(
    sql`SELECT id, ticket_id, rating, comment, answered_at FROM survey_requests WHERE ${inRange} AND comment IS NOT NULL ORDER BY answered_at DESC LIMIT 50`,
  );
  const answered = overall?.n ?? 0;
  const score = round(overall?.score);
  const target = q.kind === 'csat' ? cfg.targetRate : null;
  return {
    kind: q.kind,
    from: from.toISOString(),
    to: to.toISOString(),
    sent: sent?.n ?? 0,
    answered,
    responseRate: sent?.n ? round(answered / sent.n) : null,
    score,
    mean: round(overall?.mean, 2),
    target,
    meetsTarget: target === null || score === null ? null : score >= target,
    distribution: scale.map((rating) => ({ rating, count: dist.find((d) => d.rating === rating)?.n ?? 0 })),
    byTeam: await group('team_id', 'x.name'),
    byAssignee: await group('assignee_id', 'x.name'),
    byCategory: await group('category_id', 'x.name'),
    byChannel: await group('channel', 's.channel'),
    comments: comments.map((c) => ({
      surveyId: c.id,
      ticketId: c.ticket_id,
      rating: c.rating,
      comment: c.comment,
      answeredAt: new Date(c.answered_at).toISOString(),
    })),
  };
}
