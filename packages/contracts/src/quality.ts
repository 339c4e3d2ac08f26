import { z } from 'zod';

/** Each criterion is scored 0 (not met) … 4 (fully met); the review's score is the weighted share, 0 … 100. */
export const QUALITY_MAX_SCORE = 4;

export const ScorecardCriterion = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,40}$/),
  label: z.string().trim().min(1).max(200),
  weight: z.number().min(0.1).max(100),
});

export const QualityScorecard = z.object({
  id: z.uuid(),
  name: z.string(),
  criteria: z.array(ScorecardCriterion),
  isActive: z.boolean(),
  createdAt: z.string(),
});
export type QualityScorecard = z.infer<typeof QualityScorecard>;
export const QualityScorecardList = z.object({ items: z.array(QualityScorecard) });

export const CreateScorecardBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    criteria: z
      .array(ScorecardCriterion)
      .min(1)
      .max(30)
      .refine((c) => new Set(c.map((x) => x.key)).size === c.length, { message: 'criterion keys must be unique' }),
  })
  .strict();
export const UpdateScorecardBody = z
  .object({ name: z.string().trim().min(1).max(200).optional(), isActive: z.boolean().optional() })
  .strict();

export const QualityReview = z.object({
  id: z.uuid(),
  scorecardId: z.uuid(),
  scorecardName: z.string(),
  ticketId: z.uuid(),
  agentId: z.uuid(),
  reviewerId: z.uuid(),
  scores: z.record(z.string(), z.number()),
  score: z.number(),
  comment: z.string().nullable(),
  createdAt: z.string(),
  /** in lists: the ticket and the people, for display */
  ticketNumber: z.number().nullable().optional(),
  ticketSubject: z.string().nullable().optional(),
  agentName: z.string().nullable().optional(),
  reviewerName: z.string().nullable().optional(),
});
export type QualityReview = z.infer<typeof QualityReview>;
export const QualityAgentAverage = z.object({
  agentId: z.uuid(),
  agentName: z.string(),
  reviews: z.number(),
  average: z.number(),
});
export const QualityReviewList = z.object({
  items: z.array(QualityReview),
  /** every review matching the filters (the list shows the newest 200) */
  total: z.number(),
  average: z.number().nullable(),
  byAgent: z.array(QualityAgentAverage),
});
export type QualityReviewList = z.infer<typeof QualityReviewList>;
export const QualityReviewsQuery = z.object({
  agentId: z.uuid().optional(),
  reviewerId: z.uuid().optional(),
  ticketId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const CreateReviewBody = z
  .object({
    scorecardId: z.uuid(),
    ticketId: z.uuid(),
    /** default: the ticket's assignee */
    agentId: z.uuid().optional(),
    scores: z.record(z.string(), z.number().int().min(0).max(QUALITY_MAX_SCORE)),
    comment: z.string().trim().max(4000).optional(),
  })
  .strict();

export const QualitySampleQuery = z.object({
  perAgent: z.coerce.number().int().min(1).max(20).default(2),
  days: z.coerce.number().int().min(1).max(90).default(7),
});
export const QualitySample = z.object({
  items: z.array(
    z.object({
      agentId: z.uuid(),
      agentName: z.string(),
      ticketIds: z.array(z.uuid()),
      tickets: z.array(z.object({ id: z.uuid(), number: z.number(), subject: z.string() })),
    }),
  ),
});

export type QualitySample = z.infer<typeof QualitySample>;
export const QualitySummary = z.object({ items: z.array(QualityAgentAverage) });
