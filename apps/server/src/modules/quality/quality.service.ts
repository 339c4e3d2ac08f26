import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Actor, hasPermission } from '../../platform/auth/permissions.ts';
import { qualityReviews, qualityScorecards, type ScorecardCriterion, tickets } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { weightedScore } from './review-score.ts';

type ScorecardRow = typeof qualityScorecards.$inferSelect;
const scorecardDto = (r: ScorecardRow) => ({
  id: r.id,
  name: r.name,
  criteria: r.criteria,
  isActive: r.isActive,
  createdAt: r.createdAt.toISOString(),
});

export async function listScorecards(deps: Deps) {
  const rs = await deps.db
    .select()
    .from(qualityScorecards)
    .orderBy(desc(qualityScorecards.isActive), qualityScorecards.name);
  return { items: rs.map(scorecardDto) };
}

export async function createScorecard(
  deps: Deps,
  input: { actor: Actor; body: { name: string; criteria: ScorecardCriterion[] } },
) {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(qualityScorecards)
      .values({ name: input.body.name, criteria: input.body.criteria, createdAt: deps.clock.now() })
      .returning();
    if (!row) throw new Error('scorecard insert returned nothing');
    await recordEvent(tx, {
      type: 'quality.scorecard_created',
      actor: input.actor,
      payload: { scorecardId: row.id },
      at: deps.clock.now(),
    });
    return scorecardDto(row);
  });
}

export async function updateScorecard(
  deps: Deps,
  input: { actor: Actor; id: string; body: { name?: string | undefined; isActive?: boolean | undefined } },
) {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(qualityScorecards)
      .set({
        ...(input.body.name !== undefined ? { name: input.body.name } : {}),
        ...(input.body.isActive !== undefined ? { isActive: input.body.isActive } : {}),
      })
      .where(eq(qualityScorecards.id, input.id))
      .returning();
    if (!row) throw notFound('scorecard');
    await recordEvent(tx, {
      type: 'quality.scorecard_updated',
      actor: input.actor,
      payload: { scorecardId: row.id, changed: Object.keys(input.body) },
      at: deps.clock.now(),
    });
    return scorecardDto(row);
  });
}

type ReviewJoin = { r: typeof qualityReviews.$inferSelect; scorecardName: string };
const reviewDto = ({ r, scorecardName }: ReviewJoin) => ({
  id: r.id,
  scorecardId: r.scorecardId,
  scorecardName,
  ticketId: r.ticketId,
  agentId: r.agentId,
  reviewerId: r.reviewerId,
  scores: r.scores,
  score: r.score,
  comment: r.comment,
  createdAt: r.createdAt.toISOString(),
});

/** A supervisor scores one conversation of one agent against an active scorecard. */
export async function createReview(
  deps: Deps,
  input: {
    actor: Actor;
    body: {
      scorecardId: string;
      ticketId: string;
      agentId?: string | undefined;
      scores: Record<string, number>;
      comment?: string | undefined;
    };
  },
) {
  if (input.actor.kind !== 'staff') throw validationFailed([{ path: 'actor', message: 'a review needs a reviewer' }]);
  const reviewerId = input.actor.userId;
  return deps.db.transaction(async (tx) => {
    const [card] = await tx
      .select()
      .from(qualityScorecards)
      .where(and(eq(qualityScorecards.id, input.body.scorecardId), eq(qualityScorecards.isActive, true)));
    if (!card) throw notFound('scorecard');
    const [ticket] = await tx
      .select({ id: tickets.id, assigneeId: tickets.assigneeId })
      .from(tickets)
      .where(eq(tickets.id, input.body.ticketId));
    if (!ticket) throw notFound('ticket');
    const agentId = input.body.agentId ?? ticket.assigneeId;
    if (!agentId)
      throw validationFailed([{ path: 'agentId', message: 'the ticket has no assignee: say whose work is reviewed' }]);
    const { score, problems } = weightedScore(card.criteria, input.body.scores);
    if (problems.length > 0)
      throw validationFailed(problems.map((p) => ({ path: `scores.${p.split(':')[0]}`, message: p })));
    const now = deps.clock.now();
    const [row] = await tx
      .insert(qualityReviews)
      .values({
        scorecardId: card.id,
        ticketId: ticket.id,
        agentId,
        reviewerId,
        scores: input.body.scores,
        score,
        comment: input.body.comment || null,
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error('review insert returned nothing');
    await recordEvent(tx, {
      type: 'quality.review_created',
      actor: input.actor,
      ticketId: ticket.id,
      payload: { reviewId: row.id, agentId, score },
      at: now,
    });
    return reviewDto({ r: row, scorecardName: card.name });
  });
}

export interface ListReviewsInput {
  actor: Actor;
  agentId?: string | undefined;
  reviewerId?: string | undefined;
  ticketId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

type ReviewRow = {
  id: string;
  scorecard_id: string;
  scorecard_name: string;
  ticket_id: string;
  ticket_number: number | null;
  ticket_subject: string | null;
  agent_id: string;
  agent_name: string | null;
  reviewer_id: string;
  reviewer_name: string | null;
  scores: Record<string, number>;
  score: number;
  comment: string | null;
  created_at: Date | string;
};

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Reviews, newest first (at most 200), with the count and average score of every review matching the filters and
 * the same per agent. People without quality:review see only reviews of their own work, whatever they ask for.
 */
export async function listReviews(deps: Deps, input: ListReviewsInput) {
  const where: SQL[] = [];
  if (!hasPermission(input.actor, 'quality:review')) {
    if (input.actor.kind !== 'staff') return { items: [], total: 0, average: null, byAgent: [] };
    where.push(sql`q.agent_id = ${input.actor.userId}::uuid`);
  } else if (input.agentId) where.push(sql`q.agent_id = ${input.agentId}::uuid`);
  if (input.reviewerId) where.push(sql`q.reviewer_id = ${input.reviewerId}::uuid`);
  if (input.ticketId) where.push(sql`q.ticket_id = ${input.ticketId}::uuid`);
  if (input.from) where.push(sql`q.created_at >= ${input.from}::timestamptz`);
  if (input.to) where.push(sql`q.created_at < ${input.to}::timestamptz`);
  const cond = where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
  const [{ rows }, agg] = await Promise.all([
    deps.db.execute<ReviewRow>(sql`
      SELECT q.id::text, q.scorecard_id::text, c.name AS scorecard_name, q.ticket_id::text, t.number AS ticket_number,
             t.subject AS ticket_subject, q.agent_id::text, a.name AS agent_name, q.reviewer_id::text,
             r.name AS reviewer_name, q.scores, q.score, q.comment, q.created_at
        FROM quality_reviews q
        JOIN quality_scorecards c ON c.id = q.scorecard_id
        LEFT JOIN tickets t ON t.id = q.ticket_id
        LEFT JOIN staff_users a ON a.id = q.agent_id
        LEFT JOIN staff_users r ON r.id = q.reviewer_id
        ${cond}
       ORDER BY q.created_at DESC, q.id LIMIT 200`),
    deps.db.execute<{ agent_id: string; name: string | null; n: number; avg: number }>(sql`
      SELECT q.agent_id::text AS agent_id, a.name, count(*)::int AS n, avg(q.score)::float8 AS avg
        FROM quality_reviews q LEFT JOIN staff_users a ON a.id = q.agent_id
        ${cond}
       GROUP BY 1, 2 ORDER BY 2`),
  ]);
  const byAgent = agg.rows.map((r) => ({
    agentId: r.agent_id,
    agentName: r.name ?? '',
    reviews: r.n,
    average: round2(r.avg),
  }));
  const total = byAgent.reduce((s, a) => s + a.reviews, 0);
  const sum = agg.rows.reduce((s, a) => s + a.avg * a.n, 0);
  return {
    items: rows.map((r) => ({
      id: r.id,
      scorecardId: r.scorecard_id,
      scorecardName: r.scorecard_name,
      ticketId: r.ticket_id,
      ticketNumber: r.ticket_number,
      ticketSubject: r.ticket_subject,
      agentId: r.agent_id,
      agentName: r.agent_name,
      reviewerId: r.reviewer_id,
      reviewerName: r.reviewer_name,
      scores: r.scores,
      score: r.score,
      comment: r.comment,
      createdAt: new Date(r.created_at).toISOString(),
    })),
    total,
    average: total === 0 ? null : round2(sum / total),
    byAgent,
  };
}

/**
 * A random sample of each agent's recently solved, not yet reviewed tickets (from the indexed solve times), so
 * every agent gets reviewed, not only the loudest tickets.
 */
export async function sampleForReview(deps: Deps, q: { perAgent: number; days: number }) {
  const since = new Date(deps.clock.now().getTime() - q.days * 86_400_000).toISOString();
  const { rows } = await deps.db.execute<{ agent_id: string; name: string; ids: string[] }>(sql`
    SELECT f.assignee_id::text AS agent_id, s.name, (array_agg(f.ticket_id::text ORDER BY random()))[1:${q.perAgent}] AS ids
      FROM insight_ticket_facts f JOIN staff_users s ON s.id = f.assignee_id
     WHERE f.solved_at >= ${since}::timestamptz AND f.assignee_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM quality_reviews q WHERE q.ticket_id = f.ticket_id)
     GROUP BY 1, 2 ORDER BY 2`);
  const ids = rows.flatMap((r) => r.ids);
  const found = ids.length
    ? await deps.db
        .select({ id: tickets.id, number: tickets.number, subject: tickets.subject })
        .from(tickets)
        .where(inArray(tickets.id, ids))
    : [];
  const byId = new Map(found.map((t) => [t.id, t]));
  return {
    items: rows.map((r) => ({
      agentId: r.agent_id,
      agentName: r.name,
      ticketIds: r.ids,
      tickets: r.ids.flatMap((id) => {
        const t = byId.get(id);
        return t ? [{ id, number: t.number, subject: t.subject }] : [];
      }),
    })),
  };
}

export async function qualitySummary(deps: Deps, q: { days: number }) {
  const since = new Date(deps.clock.now().getTime() - q.days * 86_400_000).toISOString();
  const { rows } = await deps.db.execute<{ agent_id: string; name: string; n: number; avg: number }>(sql`
    SELECT q.agent_id::text AS agent_id, s.name, count(*)::int AS n, avg(q.score)::float8 AS avg
      FROM quality_reviews q JOIN staff_users s ON s.id = q.agent_id
     WHERE q.created_at >= ${since}::timestamptz GROUP BY 1, 2 ORDER BY 2`);
  return {
    items: rows.map((r) => ({
      agentId: r.agent_id,
      agentName: r.name,
      reviews: r.n,
      average: Math.round(r.avg * 100) / 100,
    })),
  };
}
