import { and, desc, eq, type SQL } from 'drizzle-orm';
import { type Actor, hasPermission } from '../../platform/auth/permissions.ts';
import { staffUsers, surveyFollowups, surveyRequests, tickets } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { signSurveyToken, surveySigningKey } from './survey-token.ts';

type Row = {
  f: typeof surveyFollowups.$inferSelect;
  s: { rating: number | null; comment: string | null };
  tk?: { number: number | null; subject: string | null; ownerName: string | null };
};

const toDto = ({ f, s, tk }: Row) => ({
  id: f.id,
  surveyId: f.surveyId,
  ticketId: f.ticketId,
  ownerId: f.ownerId,
  status: f.status as 'open' | 'done',
  rating: s.rating,
  comment: s.comment,
  note: f.note,
  createdAt: f.createdAt.toISOString(),
  ticketNumber: tk?.number ?? null,
  ticketSubject: tk?.subject ?? null,
  ownerName: tk?.ownerName ?? null,
});

/** Follow-ups after bad ratings: supervisors see all, everyone else the ones they own. */
export async function listFollowups(deps: Deps, input: { actor: Actor; status?: 'open' | 'done' | undefined }) {
  const where: SQL[] = [];
  if (input.status) where.push(eq(surveyFollowups.status, input.status));
  if (!hasPermission(input.actor, 'reports:read')) {
    if (input.actor.kind !== 'staff') throw forbidden();
    where.push(eq(surveyFollowups.ownerId, input.actor.userId));
  }
  const rs = await deps.db
    .select({
      f: surveyFollowups,
      s: { rating: surveyRequests.rating, comment: surveyRequests.comment },
      tk: { number: tickets.number, subject: tickets.subject, ownerName: staffUsers.name },
    })
    .from(surveyFollowups)
    .innerJoin(surveyRequests, eq(surveyRequests.id, surveyFollowups.surveyId))
    .leftJoin(tickets, eq(tickets.id, surveyFollowups.ticketId))
    .leftJoin(staffUsers, eq(staffUsers.id, surveyFollowups.ownerId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(surveyFollowups.createdAt))
    .limit(200);
  return { items: rs.map(toDto) };
}

export async function updateFollowup(
  deps: Deps,
  input: { actor: Actor; id: string; body: { status: 'open' | 'done'; note?: string | undefined } },
) {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ f: surveyFollowups, s: { rating: surveyRequests.rating, comment: surveyRequests.comment } })
      .from(surveyFollowups)
      .innerJoin(surveyRequests, eq(surveyRequests.id, surveyFollowups.surveyId))
      .where(eq(surveyFollowups.id, input.id))
      .for('update', { of: surveyFollowups });
    if (!row) throw notFound('follow-up');
    const own = input.actor.kind === 'staff' && row.f.ownerId === input.actor.userId;
    if (!own && !hasPermission(input.actor, 'reports:read')) throw notFound('follow-up');
    const now = deps.clock.now();
    const [f] = await tx
      .update(surveyFollowups)
      .set({
        status: input.body.status,
        doneAt: input.body.status === 'done' ? now : null,
        ...(input.body.note !== undefined ? { note: input.body.note } : {}),
      })
      .where(eq(surveyFollowups.id, input.id))
      .returning();
    if (!f) throw notFound('follow-up');
    await recordEvent(tx, {
      type: 'survey.followup_updated',
      actor: input.actor,
      ticketId: f.ticketId,
      payload: { followupId: f.id, status: f.status },
      at: now,
    });
    return toDto({ f, s: row.s });
  });
}

/** The signed link of a survey (to send it by another channel); viewing it is recorded. */
export async function surveyLink(deps: Deps, input: { actor: Actor; id: string }): Promise<{ url: string }> {
  const [s] = await deps.db
    .select({ id: surveyRequests.id, ticketId: surveyRequests.ticketId })
    .from(surveyRequests)
    .where(eq(surveyRequests.id, input.id));
  if (!s) throw notFound('survey');
  const key = await surveySigningKey(deps.db, deps.config.secret);
  await recordEvent(deps.db, {
    type: 'survey.link_viewed',
    actor: input.actor,
    ticketId: s.ticketId,
    payload: { surveyId: s.id },
    at: deps.clock.now(),
  });
  const base = (deps.config.publicUrl ?? '').replace(/\/$/, '');
  return { url: `${base}/survey/${signSurveyToken(key, s.id)}` };
}
