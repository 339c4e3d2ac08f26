import { z } from 'zod';

/** Improve (issue 9): action plans, playbooks, kudos. See docs/improve.md. */

export const ACTION_PLAN_STATUSES = ['open', 'in_progress', 'fix_shipped', 'done', 'dropped'] as const;
export const ActionPlanStatus = z.enum(ACTION_PLAN_STATUSES);
export type ActionPlanStatus = z.infer<typeof ActionPlanStatus>;

export const ImproveIdParams = z.object({ id: z.uuid() });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const tag = z.string().trim().toLowerCase().min(1).max(100);

export const ActionPlanSource = z
  .object({
    kind: z.enum(['category', 'tag', 'spike', 'manual']),
    /** e.g. "4× normal for this hour" as the hot button showed it */
    note: z.string().max(500).optional(),
  })
  .strict();

export const CreateActionPlanBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    problem: z.string().trim().min(1).max(5000),
    ownerName: z.string().trim().min(1).max(100),
    ownerStaffId: z.uuid().nullable().optional(),
    categoryId: z.uuid().nullable().optional(),
    tag: tag.nullable().optional(),
    source: ActionPlanSource.optional(),
    dueDate: isoDate.nullable().optional(),
    /** tickets (ids or numbers) to link right away */
    tickets: z.array(z.string().min(1).max(40)).max(500).optional(),
  })
  .strict()
  .refine((b) => b.categoryId || b.tag, { message: 'an action plan targets a category or a tag', path: ['categoryId'] });
export type CreateActionPlanBody = z.infer<typeof CreateActionPlanBody>;

export const UpdateActionPlanBody = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    problem: z.string().trim().min(1).max(5000).optional(),
    ownerName: z.string().trim().min(1).max(100).optional(),
    ownerStaffId: z.uuid().nullable().optional(),
    status: ActionPlanStatus.optional(),
    dueDate: isoDate.nullable().optional(),
    fix: z.string().trim().max(5000).optional(),
  })
  .strict();
export type UpdateActionPlanBody = z.infer<typeof UpdateActionPlanBody>;

export const ActionPlan = z.object({
  id: z.uuid(),
  title: z.string(),
  problem: z.string(),
  ownerName: z.string(),
  owner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  category: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  tag: z.string().nullable(),
  source: z.record(z.string(), z.unknown()),
  status: ActionPlanStatus,
  dueDate: z.string().nullable(),
  overdue: z.boolean(),
  fix: z.string(),
  fixShippedAt: z.string().nullable(),
  ticketCount: z.number().int(),
  /** linked tickets not solved or closed yet: the customers still waiting */
  waitingCount: z.number().int(),
  createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ActionPlan = z.infer<typeof ActionPlan>;

export const ActionPlanList = z.object({ items: z.array(ActionPlan) });
export type ActionPlanList = z.infer<typeof ActionPlanList>;

export const ListActionPlansQuery = z.object({
  status: z.string().optional(),
  categoryId: z.uuid().optional(),
});

export const LinkTicketsBody = z.object({ tickets: z.array(z.string().min(1).max(40)).min(1).max(500) }).strict();

export const ActionPlanTicket = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  status: z.string(),
  language: z.string().nullable(),
  customer: z.object({ id: z.uuid(), name: z.string() }),
  addedAt: z.string(),
  notifiedAt: z.string().nullable(),
});
export const ActionPlanTicketList = z.object({ items: z.array(ActionPlanTicket) });

/** Contacts about the plan's category/tag per week, before and after the fix shipped. */
export const ActionPlanImpact = z.object({
  basis: z.enum(['category', 'tag', 'category_and_tag']),
  /** the fix date the comparison splits on; null until the fix ships (then "after" is empty) */
  splitAt: z.string().nullable(),
  weeks: z.array(z.object({ weekStart: z.string(), count: z.number().int(), after: z.boolean() })),
  beforePerWeek: z.number(),
  afterPerWeek: z.number().nullable(),
  /** (after − before) / before, e.g. −0.6 for 60% fewer contacts; null without both sides */
  change: z.number().nullable(),
});
export type ActionPlanImpact = z.infer<typeof ActionPlanImpact>;

export const ImpactQuery = z.object({ weeks: z.coerce.number().int().min(1).max(52).default(8) });

/** One message per language; each customer gets theirs (English when their language is missing). */
export const NotifyActionPlanBody = z
  .object({
    messages: z
      .object({
        en: z.string().trim().min(1).max(10_000),
        bn: z.string().trim().min(1).max(10_000).optional(),
        hi: z.string().trim().min(1).max(10_000).optional(),
      })
      .strict(),
    /** solve the tickets as the message goes out */
    solve: z.boolean().optional(),
  })
  .strict();
export type NotifyActionPlanBody = z.infer<typeof NotifyActionPlanBody>;

export const NotifyActionPlanResult = z.object({
  notified: z.number().int(),
  /** already told, or solved/closed meanwhile */
  skipped: z.number().int(),
  byLanguage: z.record(z.string(), z.number().int()),
});

// ---- kudos ----

export const SendKudosBody = z
  .object({
    toStaffId: z.uuid(),
    ticketId: z.string().min(1).max(40).optional(),
    message: z.string().trim().min(1).max(1000),
  })
  .strict();
export type SendKudosBody = z.infer<typeof SendKudosBody>;

export const Kudos = z.object({
  id: z.uuid(),
  to: z.object({ id: z.uuid(), name: z.string() }),
  from: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  ticket: z.object({ id: z.uuid(), number: z.number().int(), subject: z.string() }).nullable(),
  message: z.string(),
  createdAt: z.string(),
});
export type Kudos = z.infer<typeof Kudos>;
export const KudosList = z.object({ items: z.array(Kudos) });
export const ListKudosQuery = z.object({
  toStaffId: z.uuid().optional(),
  ticketId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// ---- playbooks ----

export const PLAYBOOK_LOCALES = ['en', 'bn', 'hi'] as const;
export const PlaybookLocale = z.enum(PLAYBOOK_LOCALES);

export const Playbook = z.object({
  id: z.uuid(),
  category: z.object({ id: z.uuid(), name: z.string() }),
  teamId: z.uuid().nullable(),
  locale: PlaybookLocale,
  title: z.string(),
  summary: z.string(),
  steps: z.array(z.string()),
  macroId: z.uuid().nullable(),
  articleIds: z.array(z.uuid()),
  examples: z.array(z.object({ ticketId: z.uuid(), messageId: z.uuid(), excerpt: z.string() })),
  status: z.enum(['draft', 'published']),
  generated: z.boolean(),
  updatedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  updatedAt: z.string(),
});
export type Playbook = z.infer<typeof Playbook>;
export const PlaybookList = z.object({ items: z.array(Playbook) });

export const UpsertPlaybookBody = z
  .object({
    categoryId: z.uuid(),
    locale: PlaybookLocale,
    teamId: z.uuid().nullable().optional(),
    title: z.string().trim().min(1).max(200),
    summary: z.string().trim().max(5000).optional(),
    steps: z.array(z.string().trim().min(1).max(2000)).max(30),
    macroId: z.uuid().nullable().optional(),
    articleIds: z.array(z.uuid()).max(20).optional(),
    status: z.enum(['draft', 'published']).optional(),
  })
  .strict();
export type UpsertPlaybookBody = z.infer<typeof UpsertPlaybookBody>;

export const GeneratePlaybooksBody = z
  .object({
    locale: PlaybookLocale,
    /** how many of the most contacted categories (last 90 days) to draft for */
    top: z.number().int().min(1).max(20).default(5),
  })
  .strict();

export const ListPlaybooksQuery = z.object({
  locale: PlaybookLocale.optional(),
  categoryId: z.uuid().optional(),
  status: z.enum(['draft', 'published']).optional(),
});

export const HandbookQuery = z.object({ locale: PlaybookLocale.default('en'), teamId: z.uuid().optional() });

// ---- recognition ----

export const RecognitionSettings = z.object({
  enabled: z.boolean(),
  leaderboardVisibility: z.enum(['everyone', 'managers']),
  firstNamesOnly: z.boolean(),
});
export type RecognitionSettings = z.infer<typeof RecognitionSettings>;
export const UpdateRecognitionSettingsBody = RecognitionSettings.partial().strict();

export const BADGES = ['first_contact_hero', 'five_stars', 'steady_hands', 'appreciated'] as const;
export const Badge = z.enum(BADGES);

export const LeaderboardQuery = z.object({
  period: z.enum(['week', 'month', 'quarter']).default('month'),
  teamId: z.uuid().optional(),
});
export const Leaderboard = z.object({
  period: z.enum(['week', 'month', 'quarter']),
  from: z.string(),
  to: z.string(),
  people: z.array(
    z.object({
      rank: z.number().int(),
      staff: z.object({ id: z.uuid(), name: z.string() }),
      points: z.number().int(),
      solved: z.number().int(),
      firstContactResolutions: z.number().int(),
      reopened: z.number().int(),
      goodRatings: z.number().int(),
      badRatings: z.number().int(),
      kudos: z.number().int(),
      badges: z.array(Badge),
    }),
  ),
  teams: z.array(z.object({ id: z.uuid(), name: z.string(), points: z.number().int(), members: z.number().int() })),
});
export type Leaderboard = z.infer<typeof Leaderboard>;

const winner = z.object({ staff: z.object({ id: z.uuid(), name: z.string() }), value: z.number() }).nullable();
export const MonthlyAwardsQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM') });
export const MonthlyAwards = z.object({
  month: z.string(),
  mostPoints: winner,
  mostFirstContactResolutions: winner,
  mostGoodRatings: winner,
});

export const CustomerThanks = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      comment: z.string(),
      rating: z.number().int(),
      answeredAt: z.string(),
      ticket: z.object({ id: z.uuid(), number: z.number().int() }).nullable(),
      staff: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    }),
  ),
});

export const WeeklyDigest = z.object({
  from: z.string(),
  points: z.number().int(),
  solved: z.number().int(),
  firstContactResolutions: z.number().int(),
  goodRatings: z.number().int(),
  badges: z.array(Badge),
  kudos: z.array(z.object({ message: z.string(), from: z.string().nullable(), at: z.string() })),
});

// ---- practice ----

const ref = z.object({ id: z.uuid(), name: z.string() });

export const PracticeScenario = z.object({
  id: z.uuid(),
  category: ref.nullable(),
  locale: z.string(),
  subject: z.string(),
  customerMessage: z.string(),
});
export const PracticeScenarioList = z.object({ items: z.array(PracticeScenario) });
export const GenerateScenariosBody = z
  .object({ categoryId: z.uuid().optional(), locale: PlaybookLocale.optional(), limit: z.number().int().min(1).max(100).default(10) })
  .strict();
export const ListScenariosQuery = z.object({ categoryId: z.uuid().optional(), locale: PlaybookLocale.optional() });

export const PracticeAttempt = z.object({
  id: z.uuid(),
  scenario: PracticeScenario,
  trainee: ref,
  partnerId: z.uuid().nullable(),
  conversation: z.array(z.object({ role: z.enum(['customer', 'agent']), text: z.string(), byId: z.string(), at: z.string() })),
  status: z.enum(['in_progress', 'submitted', 'reviewed']),
  submittedAt: z.string().nullable(),
  /** the reply that actually solved the real ticket: only after submitting */
  referenceReply: z.string().nullable(),
  playbook: Playbook.nullable(),
  review: z
    .object({
      reviewerId: z.uuid().nullable(),
      scores: z.record(z.string(), z.number()),
      score: z.number().int(),
      feedback: z.string(),
      reviewedAt: z.string().nullable(),
    })
    .nullable(),
});
export type PracticeAttempt = z.infer<typeof PracticeAttempt>;
export const StartAttemptBody = z.object({ scenarioId: z.uuid(), partnerId: z.uuid().optional() }).strict();
export const AttemptTurnBody = z.object({ text: z.string().trim().min(1).max(10_000) }).strict();
export const ReviewAttemptBody = z
  .object({
    scorecardId: z.uuid().optional(),
    scores: z.record(z.string().max(50), z.number().int().min(0).max(4)),
    feedback: z.string().trim().max(5000).default(''),
  })
  .strict();
export const PracticeQueue = z.object({ items: z.array(z.object({ id: z.uuid(), trainee: z.string(), subject: z.string(), submittedAt: z.string() })) });
export const PracticeProgress = z.object({
  traineeId: z.uuid(),
  items: z.array(
    z.object({
      category: ref.nullable(),
      attempts: z.number().int(),
      reviewed: z.number().int(),
      averageScore: z.number().nullable(),
      bestScore: z.number().nullable(),
    }),
  ),
});
