import { z } from 'zod';

export const SURVEY_KINDS = ['csat', 'ces', 'nps'] as const;
export const SurveyKind = z.enum(SURVEY_KINDS);
export type SurveyKind = z.infer<typeof SurveyKind>;

/** Rating scales: CSAT 1 (very bad) … 5 (very good); CES 1 (very hard) … 7 (very easy); NPS 0 … 10. */
export const SURVEY_SCALES: Record<SurveyKind, { min: number; max: number }> = {
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
  nps: { min: 0, max: 10 },
};

export const SURVEY_LANGUAGES = ['en', 'bn', 'hi'] as const;
export const SurveyQuestionTexts = z
  .object({
    en: z.string().trim().max(300).optional(),
    bn: z.string().trim().max(300).optional(),
    hi: z.string().trim().max(300).optional(),
  })
  .strict();

export const SurveySettings = z.object({
  csatEnabled: z.boolean(),
  /** share of solved tickets that get a survey (deterministic per ticket) */
  sampleRate: z.number().min(0).max(1),
  /** at most one survey of a kind per customer in this many days */
  capDays: z.number().int().min(0).max(365),
  expiresDays: z.number().int().min(1).max(90),
  /** the share of good CSAT ratings the desk aims for */
  targetRate: z.number().min(0).max(1),
  /** CSAT at or below this is bad and opens a follow-up for the team lead */
  badAtOrBelow: z.number().int().min(1).max(4),
  cesEnabled: z.boolean(),
  /** ask NPS at most every N days per customer; 0 = never */
  npsEveryDays: z.number().int().min(0).max(730),
  /** send the survey email (and show it in the widget) this many minutes after the solve; 0 = at once */
  delayMinutes: z.number().int().min(0).max(10_080),
  /** per survey kind, the channels whose tickets do not get it (e.g. no CES after a phone call) */
  offChannels: z.object({
    csat: z.array(z.string().trim().min(1).max(40)).max(50),
    ces: z.array(z.string().trim().min(1).max(40)).max(50),
    nps: z.array(z.string().trim().min(1).max(40)).max(50),
  }),
  /** the desk's own wording of each question per language (en/bn/hi); empty or missing = the built-in text */
  questions: z.object({
    csat: SurveyQuestionTexts,
    ces: SurveyQuestionTexts,
    nps: SurveyQuestionTexts,
  }),
});
export type SurveySettings = z.infer<typeof SurveySettings>;
export const UpdateSurveySettingsBody = SurveySettings.partial().strict();

export const SurveyAnswerBody = z
  .object({
    token: z.string().min(10).max(200),
    rating: z.number().int().min(0).max(10),
    comment: z.string().trim().max(4000).optional(),
  })
  .strict();
export type SurveyAnswerBody = z.infer<typeof SurveyAnswerBody>;

export const SurveyAnswerResult = z.object({
  surveyId: z.uuid(),
  kind: SurveyKind,
  rating: z.number(),
  followUp: z.boolean(),
});

export const SurveyResultsQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  kind: SurveyKind.default('csat'),
});

export const SurveyGroupRow = z.object({
  key: z.string(),
  label: z.string(),
  answered: z.number(),
  /** CSAT: share of good ratings; CES: share of easy (5+); NPS: the score (−100 … 100) */
  score: z.number().nullable(),
  mean: z.number().nullable(),
});

export const SurveyResults = z.object({
  kind: SurveyKind,
  from: z.string(),
  to: z.string(),
  sent: z.number(),
  answered: z.number(),
  responseRate: z.number().nullable(),
  score: z.number().nullable(),
  mean: z.number().nullable(),
  target: z.number().nullable(),
  meetsTarget: z.boolean().nullable(),
  distribution: z.array(z.object({ rating: z.number(), count: z.number() })),
  byTeam: z.array(SurveyGroupRow),
  byAssignee: z.array(SurveyGroupRow),
  byCategory: z.array(SurveyGroupRow),
  byChannel: z.array(SurveyGroupRow),
  comments: z.array(
    z.object({
      surveyId: z.uuid(),
      ticketId: z.string().nullable(),
      rating: z.number(),
      comment: z.string(),
      answeredAt: z.string(),
    }),
  ),
});
export type SurveyResults = z.infer<typeof SurveyResults>;

export const SurveyFollowup = z.object({
  id: z.uuid(),
  surveyId: z.uuid(),
  ticketId: z.string().nullable(),
  ownerId: z.string().nullable(),
  status: z.enum(['open', 'done']),
  rating: z.number().nullable(),
  comment: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  ticketNumber: z.number().nullable(),
  ticketSubject: z.string().nullable(),
  ownerName: z.string().nullable(),
});
export type SurveyFollowup = z.infer<typeof SurveyFollowup>;
export const SurveyFollowupList = z.object({ items: z.array(SurveyFollowup) });
export const UpdateSurveyFollowupBody = z
  .object({ status: z.enum(['open', 'done']), note: z.string().trim().max(4000).optional() })
  .strict();
