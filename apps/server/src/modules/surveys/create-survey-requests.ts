import { createHash } from 'node:crypto';
import type { SurveyKind } from '@seva/contracts';
import { and, eq, gte } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { surveyRequests, tickets } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { registerTicketHook, type TicketHookEvent } from '../../platform/ticket-hooks.ts';
import { getSurveySettings } from './surveys-settings.ts';

const DAY_MS = 86_400_000;
const LANGUAGES = new Set(['en', 'bn', 'hi']);

/** Deterministic sampling: the same ticket is always in or out, so retries and reopen/solve cycles agree. */
export function isSampled(ticketId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  const h = createHash('sha256').update(ticketId).digest().readUInt32BE(0);
  return h / 2 ** 32 < rate;
}

/** The survey's language: the ticket's, when we speak it, else English. */
export function surveyLanguage(lang: string | null): string {
  const base = (lang ?? 'en').toLowerCase().split('-')[0] ?? 'en';
  return LANGUAGES.has(base) ? base : 'en';
}

async function createRequest(
  tx: DbOrTx,
  kind: SurveyKind,
  t: typeof tickets.$inferSelect,
  now: Date,
  expiresDays: number,
  capDays: number,
): Promise<void> {
  if (capDays > 0) {
    const [recent] = await tx
      .select({ id: surveyRequests.id })
      .from(surveyRequests)
      .where(
        and(
          eq(surveyRequests.customerId, t.customerId),
          eq(surveyRequests.kind, kind),
          gte(surveyRequests.createdAt, new Date(now.getTime() - capDays * DAY_MS)),
        ),
      )
      .limit(1);
    if (recent) return;
  }
  const id = crypto.randomUUID();
  // the link's token is derived from the id with the signing key when the message goes out; the hash column keeps
  // a unique handle per request (answering checks the signature and the status, not this value)
  const [row] = await tx
    .insert(surveyRequests)
    .values({
      id,
      kind,
      ticketId: t.id,
      customerId: t.customerId,
      tokenHash: createHash('sha256').update(`pending:${id}`).digest('hex'),
      language: surveyLanguage(t.language),
      channel: t.channel,
      teamId: t.teamId,
      assigneeId: t.assigneeId,
      categoryId: t.categoryId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + expiresDays * DAY_MS),
    })
    .returning({ id: surveyRequests.id });
  if (!row) return;
  await recordEvent(tx, {
    type: 'survey.requested',
    actor: { kind: 'system' },
    ticketId: t.id,
    customerId: t.customerId,
    payload: { surveyId: row.id, kind, language: surveyLanguage(t.language), channel: t.channel },
    at: now,
  });
}

/**
 * On solve: a CSAT request (sampled, capped per customer), and CES / periodic NPS when switched on, each unless the
 * ticket's channel is switched off for that kind.
 */
export async function handleSurveyHook(tx: DbOrTx, e: TicketHookEvent): Promise<void> {
  if (e.kind !== 'status' || e.to !== 'solved' || e.from === 'closed') return;
  const cfg = await getSurveySettings(tx);
  if (!cfg.csatEnabled && !cfg.cesEnabled && cfg.npsEveryDays === 0) return;
  const [t] = await tx.select().from(tickets).where(eq(tickets.id, e.ticketId));
  if (!t || t.mergedIntoId) return;
  if (!isSampled(t.id, cfg.sampleRate)) return;
  const on = (kind: SurveyKind) => !cfg.offChannels[kind].includes(t.channel);
  if (cfg.csatEnabled && on('csat')) await createRequest(tx, 'csat', t, e.now, cfg.expiresDays, cfg.capDays);
  if (cfg.cesEnabled && on('ces')) await createRequest(tx, 'ces', t, e.now, cfg.expiresDays, cfg.capDays);
  if (cfg.npsEveryDays > 0 && on('nps')) await createRequest(tx, 'nps', t, e.now, cfg.expiresDays, cfg.npsEveryDays);
}

export function registerSurveyHook(): void {
  registerTicketHook({ name: 'surveys.after_solve', order: 410, handle: handleSurveyHook });
}
