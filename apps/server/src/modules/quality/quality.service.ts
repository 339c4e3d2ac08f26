import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { hasPermission, type Actor } from '../../platform/auth/permissions.ts';
import type { Deps } from '../../platform/deps.ts';
import { qualityReviews, qualityScorecards, type ScorecardCriterion, tickets } from '../../platform/db/schema/index.ts';
import { notFound, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { weightedScore } from './review-score.ts';

type ScorecardRow = typeof qualityScorecards.$inferSelect;
const scorecardDto = (r: ScorecardRow) => ({ id: r.id, name: r.name, criteria: r.criteria, isActive: r.isActive, createdAt: r.createdAt.toISOString() });

export async function listScorecards(deps: Deps) {
  const rs = await deps.db.select().from(qualityScorecards).orderBy(desc(qualityScorecards.isActive), qualityScorecards.name);
  return { items: rs.map(scorecardDto) };
}

export async function createScorecard(deps: Deps, input: { actor: Actor; body: { name: string; criteria: ScorecardCriterion[] } }) {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.insert(qualityScorecards).values({ name: input.body.name, criteria: input.body.criteria, createdAt: deps.clock.now() }).returning();
    if (!row) throw new Error('scorecard insert returned nothing');
    await recordEvent(tx, { type: 'quality.scorecard_created', actor: input.actor, payload: { scorecardId: row.id }, at: deps.clock.now() });
    return scorecardDto(row);
  });
}

export async function updateScorecard(deps: Deps, input: { actor: Actor; id: string; body: { name?: string | undefined; isActive?: boolean | undefined } }) {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(qualityScorecards)
      .set({ ...(input.body.name !== undefined ? { name: input.body.name } : {}), ...(input.body.isActive !== undefined ? { isActive: input.body.isActive } : {}) })
      .where(eq(qualityScorecards.id, input.id))
      .returning();
    if (!row) throw notFound('scorecard');
    await recordEvent(tx, { type: 'quality.scorecard_updated', actor: input.actor, payload: { scorecardId: row.id, changed: Object.keys(input.body) }, at: deps.clock.now() });
    return scorecardDto(row);
  });
}

const reviewSelect = {
  r: qualityReviews,
  scorecardName: qualityScorecards.name,
};
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
  input: { actor: Actor; body: { scorecardId: string; ticketId: string; agentId?: string | undefined; scores: Record<string, number>; comment?: string | undefined } },
) {
  if (input.actor.kind !== 'staff') throw validationFailed([{ path: 'actor', message: 'a review needs a reviewer' }]);
  const reviewerId = input.actor.userId;
  return deps.db.transaction(async (tx) => {
    const [card] = await tx.select().from(qualityScorecards).where(and(eq(qualityScorecards.id, input.body.scorecardId), eq(qualityScorecards.isActive, true)));
    if (!card) throw notFound('scorecard');
    const [ticket] = await tx.select({ id: tickets.id, assigneeId: tickets.assigneeId }).from(tickets).where(eq(tickets.id, input.body.ticketId));
    if (!ticket) throw notFound('ticket');
    const agentId = input.body.agentId ?? ticket.assigneeId;
    if (!agentId) throw validationFailed([{ path: 'agentId', message: 'the ticket has no assignee: say whose work is reviewed' }]);
    const { score, problems } = weightedScore(card.criteria, input.body.scores);
    if (problems.length > 0) throw validationFailed(problems.map((p) => ({ path: `scores.${p.split(':')[0]}`, message: p })));
    const now = deps.clock.now();
    const [row] = await tx
      .insert(qualityReviews)
      .values({ scorecardId: card.id, ticketId: ticket.id, agentId, reviewerId, scores: input.body.scores, score, comment: input.body.comment || null, createdAt: now })
      .returning();
    if (!row) throw new Error('review insert returned nothing');
    await recordEvent(tx, { type: 'quality.review_created', actor: input.actor, ticketId: ticket.id, payload: { reviewId: row.id, agentId, score }, at: now });
    return reviewDto({ r: row, scorecardName: card.name });
  });
}

/** Reviews, newest first; people without quality:review see only reviews of their own work. */
export async function listReviews(deps: Deps, input: { actor: Actor; agentId?: string | undefined; ticketId?: string | undefined }) {
  const where: SQL[] = [];
  const reviewer = hasPermission(input.actor, 'quality:review');
  if (!reviewer) {
    if (input.actor.kind !== 'staff') return { items: [] };
    where.push(eq(qualityReviews.agentId, input.actor.userId));
  } else if (input.agentId) where.push(eq(qualityReviews.agentId, input.agentId));
  if (input.ticketId) where.push(eq(qualityReviews.ticketId, input.ticketId));
  const rs = await deps.db
    .select(reviewSelect)
    .from(qualityReviews)
    .innerJoin(qualityScorecards, eq(qualityScorecards.id, qualityReviews.scorecardId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(qualityReviews.createdAt))
    .limit(200);
  return { items: rs.map(reviewDto) };
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
  return { items: rows.map((r) => ({ agentId: r.agent_id, agentName: r.name, ticketIds: r.ids })) };
}

export async function qualitySummary(deps: Deps, q: { days: number }) {
  const since = new Date(deps.clock.now().getTime() - q.days * 86_400_000).toISOString();
  const { rows } = await deps.db.execute<{ agent_id: string; name: string; n: number; avg: number }>(sql`
    SELECT q.agent_id::text AS agent_id, s.name, count(*)::int AS n, avg(q.score)::float8 AS avg
      FROM quality_reviews q JOIN staff_users s ON s.id = q.agent_id
     WHERE q.created_at >= ${since}::timestamptz GROUP BY 1, 2 ORDER BY 2`);
  return { items: rows.map((r) => ({ agentId: r.agent_id, agentName: r.name, reviews: r.n, average: Math.round(r.avg * 100) / 100 })) };
}
