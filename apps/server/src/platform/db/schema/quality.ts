import { doublePrecision, index, jsonb, pgTable, text, timestamp, uuid, boolean } from 'drizzle-orm/pg-core';

export interface ScorecardCriterion {
  key: string;
  label: string;
  weight: number;
}

/** A quality scorecard: criteria with weights; each is scored 0..4 in a review. */
export const qualityScorecards = pgTable('quality_scorecards', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  criteria: jsonb('criteria').$type<ScorecardCriterion[]>().notNull(),
  isActive: boolean('is_active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A supervisor's review of one agent's conversation. */
export const qualityReviews = pgTable(
  'quality_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scorecardId: uuid('scorecard_id')
      .notNull()
      .references(() => qualityScorecards.id),
    ticketId: uuid('ticket_id').notNull(),
    agentId: uuid('agent_id').notNull(),
    reviewerId: uuid('reviewer_id').notNull(),
    scores: jsonb('scores').$type<Record<string, number>>().notNull(),
    /** weighted score 0..100 */
    score: doublePrecision('score').notNull(),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('quality_reviews_agent_idx').on(t.agentId, t.createdAt), index('quality_reviews_ticket_idx').on(t.ticketId)],
);
