import { SURVEY_SCALES, type SurveyKind } from '@seva/contracts';
import { and, eq, isNull } from 'drizzle-orm';
import { surveyFollowups, surveyRequests, teams } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { surveySigningKey, verifySurveyToken } from './survey-token.ts';
import { getSurveySettings } from './surveys-settings.ts';

/** a comment may follow the one-click rating for this long */
const COMMENT_WINDOW_MS = 24 * 3_600_000;

export type SurveyRow = typeof surveyRequests.$inferSelect;

/** The survey a signed token names (any status), or 404 for a forged or unknown token. */
export async function findSurveyByToken(deps: Deps, token: string): Promise<SurveyRow> {
  const key = await surveySigningKey(deps.db, deps.config.secret);
  const id = verifySurveyToken(key, token);
  if (!id) throw notFound('survey');
  const [row] = await deps.db.select().from(surveyRequests).where(eq(surveyRequests.id, id));
  if (!row) throw notFound('survey');
  return row;
}

/**
 * Records the customer's rating. The link is single-use: the first answer wins (a conditional UPDATE, so two
 * clicks at once cannot both count); later ones get 409. A bad CSAT opens a follow-up for the team's lead.
 */
export async function answerSurvey(
  deps: Deps,
  input: { token: string; rating: number; comment?: string | undefined },
): Promise<{ surveyId: string; kind: SurveyKind; rating: number; followUp: boolean }> {
  const survey = await findSurveyByToken(deps, input.token);
  const kind = survey.kind as SurveyKind;
  const scale = SURVEY_SCALES[kind];
  if (!Number.isInteger(input.rating) || input.rating < scale.min || input.rating > scale.max) {
    throw validationFailed([{ path: 'rating', message: `must be ${scale.min}…${scale.max}` }]);
  }
  const now = deps.clock.now();
  if (survey.status === 'pending' && survey.expiresAt <= now)
    throw new AppError('CONFLICT', 'This survey has expired', { details: { reason: 'expired' } });
  const cfg = await getSurveySettings(deps.db);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(surveyRequests)
      .set({ status: 'answered', rating: input.rating, comment: input.comment?.trim() || null, answeredAt: now })
      .where(and(eq(surveyRequests.id, survey.id), eq(surveyRequests.status, 'pending')))
      .returning();
    if (!row)
      throw new AppError('CONFLICT', 'This survey has already been answered', { details: { reason: 'answered' } });
    await recordEvent(tx, {
      type: 'survey.answered',
      actor: { kind: 'system' },
      ticketId: row.ticketId,
      customerId: row.customerId,
      payload: { surveyId: row.id, kind, rating: input.rating, hasComment: Boolean(row.comment) },
      at: now,
    });
    if (row.ticketId) {
      await runTicketHooks(tx, {
        kind: 'survey',
        ticketId: row.ticketId,
        surveyKind: kind,
        rating: input.rating,
        actor: { kind: 'system' },
        now,
      });
    }
    const bad = kind === 'csat' && input.rating <= cfg.badAtOrBelow;
    if (bad) {
      const [team] = row.teamId
        ? await tx.select({ leadId: teams.leadId }).from(teams).where(eq(teams.id, row.teamId))
        : [];
      const ownerId = team?.leadId ?? null;
      const [f] = await tx
        .insert(surveyFollowups)
        .values({ surveyId: row.id, ticketId: row.ticketId, ownerId, createdAt: now })
        .returning();
      await recordEvent(tx, {
        type: 'survey.followup_created',
        actor: { kind: 'system' },
        ticketId: row.ticketId,
        customerId: row.customerId,
        payload: { followupId: f?.id, surveyId: row.id, ownerId, rating: input.rating },
        at: now,
      });
    }
    return { surveyId: row.id, kind, rating: input.rating, followUp: bad };
  });
}

/** Adds the optional comment after a one-click rating (once, within a day of the rating). */
export async function commentOnSurvey(deps: Deps, input: { token: string; comment: string }): Promise<void> {
  const survey = await findSurveyByToken(deps, input.token);
  const now = deps.clock.now();
  const text = input.comment.trim().slice(0, 4000);
  if (!text) throw validationFailed([{ path: 'comment', message: 'is empty' }]);
  if (
    survey.status !== 'answered' ||
    !survey.answeredAt ||
    now.getTime() - survey.answeredAt.getTime() > COMMENT_WINDOW_MS
  ) {
    throw new AppError('CONFLICT', 'This survey no longer takes comments');
  }
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(surveyRequests)
      .set({ comment: text })
      .where(and(eq(surveyRequests.id, survey.id), isNull(surveyRequests.comment)))
      .returning({ id: surveyRequests.id });
    if (!row) throw new AppError('CONFLICT', 'A comment has already been left');
    await recordEvent(tx, {
      type: 'survey.commented',
      actor: { kind: 'system' },
      ticketId: survey.ticketId,
      customerId: survey.customerId,
      payload: { surveyId: survey.id },
      at: now,
    });
  });
}
