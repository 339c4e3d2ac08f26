import { SURVEY_SCALES, type SurveyKind } from '@seva/contracts';
import { and, desc, eq, gt, lte } from 'drizzle-orm';
import { surveyRequests, tickets } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { findVisitorByToken } from '../widget/widget.repository.ts';
import { signSurveyToken, surveySigningKey } from './survey-token.ts';
import { customQuestion, getSurveySettings } from './surveys-settings.ts';

export interface PendingSurvey {
  token: string;
  kind: SurveyKind;
  language: string;
  min: number;
  max: number;
  ticketNumber: number | null;
  ticketSubject: string | null;
  /** the desk's own wording of the question in the survey's language, else null (the widget's built-in text) */
  question: string | null;
}

/**
 * The surveys still waiting for the customer behind a widget visitor (their own record: a signed-in visitor's, or the
 * one made for this visitor), newest first, with the signed token the widget answers with (`/survey/v1/answers`).
 * Nothing for an unknown token or a visitor without a customer.
 */
export async function pendingSurveysForVisitor(deps: Deps, rawVisitorToken: string): Promise<PendingSurvey[]> {
  const found = await findVisitorByToken(deps.db, rawVisitorToken);
  const customerId = found?.visitor.customerId;
  if (!customerId) return [];
  const cfg = await getSurveySettings(deps.db);
  const now = deps.clock.now();
  const rows = await deps.db
    .select({
      id: surveyRequests.id,
      kind: surveyRequests.kind,
      language: surveyRequests.language,
      number: tickets.number,
      subject: tickets.subject,
    })
    .from(surveyRequests)
    .leftJoin(tickets, eq(tickets.id, surveyRequests.ticketId))
    .where(
      and(
        eq(surveyRequests.customerId, customerId),
        eq(surveyRequests.status, 'pending'),
        gt(surveyRequests.expiresAt, now),
        // not before the desk's delay after the solve
        lte(surveyRequests.createdAt, new Date(now.getTime() - cfg.delayMinutes * 60_000)),
      ),
    )
    .orderBy(desc(surveyRequests.createdAt))
    .limit(3);
  if (rows.length === 0) return [];
  const key = await surveySigningKey(deps.db, deps.config.secret);
  return rows.map((r) => ({
    token: signSurveyToken(key, r.id),
    kind: r.kind as SurveyKind,
    language: r.language,
    ...SURVEY_SCALES[r.kind as SurveyKind],
    ticketNumber: r.number ?? null,
    ticketSubject: r.subject ?? null,
    question: customQuestion(cfg, r.kind as SurveyKind, r.language) ?? null,
  }));
}
