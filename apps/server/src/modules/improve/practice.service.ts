import { type SQL, sql } from 'drizzle-orm';
import { hasPermission, type StaffActor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { iso, rows } from './improve.repository.ts';
import { maskPersonalData } from './mask.ts';
import { playbookDto, PLAYBOOK_SELECT, type PlaybookRow } from './playbooks.service.ts';
import { DEFAULT_CRITERIA, weightedScore } from './practice-score.ts';
import { insertAwards } from './recognition.hook.ts';
import { POINTS, PRACTICE_PASS } from './scoring.ts';

type ServiceDeps = Pick<Deps, 'db' | 'clock'>;
type Turn = { role: 'customer' | 'agent'; text: string; byId: string; at: string };

/**
 * Practice mode: scenarios drawn from solved tickets (masked), attempts by trainees (alone or in role-play pairs),
 * the real reply and the playbook shown after submitting, and reviews scored with a quality scorecard.
 * Practice lives in its own tables: it never creates tickets, messages or events on tickets.
 */
export async function generateScenarios(
  deps: ServiceDeps,
  input: { actor: StaffActor; categoryId?: string | undefined; locale?: string | undefined; limit: number },
): Promise<{ created: number }> {
  const conds: SQL[] = [sql`t.status IN ('solved', 'closed')`, sql`t.merged_into_id IS NULL`];
  if (input.categoryId) conds.push(sql`t.category_id = ${input.categoryId}`);
  if (input.locale) conds.push(sql`coalesce(t.language, 'en') = ${input.locale}`);
  const candidates = await rows<{
    id: string;
    category_id: string | null;
    language: string | null;
    subject: string;
    customer_id: string;
    first_customer: string | null;
    last_staff: string | null;
  }>(
    deps.db,
    sql`SELECT t.id, t.category_id, t.language, t.subject, t.customer_id,
          (SELECT m.body_text FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'public' AND m.author_type = 'customer' ORDER BY m.seq LIMIT 1) AS first_customer,
          (SELECT m.body_text FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'public' AND m.author_type = 'staff'
             AND m.status <> 'pending_approval' ORDER BY m.seq DESC LIMIT 1) AS last_staff
        FROM tickets t
        WHERE ${sql.join(conds, sql` AND `)} AND NOT EXISTS (SELECT 1 FROM practice_scenarios p WHERE p.source_ticket_id = t.id)
        ORDER BY t.solved_at DESC NULLS LAST LIMIT ${input.limit * 3}`,
  );
  let created = 0;
  const now = deps.clock.now();
  for (const c of candidates) {
    if (created >= input.limit) break;
    if (!c.first_customer || !c.last_staff) continue;
    const people = await rows<{ name: string; value: string | null }>(
      deps.db,
      sql`SELECT cu.name, i.value FROM customers cu LEFT JOIN customer_identities i ON i.customer_id = cu.id WHERE cu.id = ${c.customer_id}`,
    );
    const person = {
      names: [...new Set(people.map((p) => p.name))],
      identities: people.map((p) => p.value).filter((v): v is string => v !== null),
    };
    const res = await deps.db.execute(sql`
      INSERT INTO practice_scenarios (source_ticket_id, category_id, locale, subject, customer_message, reference_reply, created_at)
      VALUES (${c.id}, ${c.category_id}, ${c.language ?? 'en'}, ${maskPersonalData(c.subject, person)},
        ${maskPersonalData(c.first_customer, person)}, ${maskPersonalData(c.last_staff, person)}, ${now.toISOString()}::timestamptz)
      ON CONFLICT (source_ticket_id) DO NOTHING`);
    created += res.rowCount ?? 0;
  }
  return { created };
}

interface ScenarioRow {
  id: string;
  category_id: string | null;
  category_name: string | null;
  locale: string;
  subject: string;
  customer_message: string;
  reference_reply: string;
}

const SCENARIO_SELECT = sql`SELECT s.id, s.category_id, c.name AS category_name, s.locale, s.subject, s.customer_message, s.reference_reply
  FROM practice_scenarios s LEFT JOIN categories c ON c.id = s.category_id`;

const scenarioDto = (r: ScenarioRow) => ({
  id: r.id,
  category: r.category_id && r.category_name ? { id: r.category_id, name: r.category_name } : null,
  locale: r.locale,
  subject: r.subject,
  customerMessage: r.customer_message,
});

export async function listScenarios(deps: ServiceDeps, q: { categoryId?: string | undefined; locale?: string | undefined }) {
  const conds: SQL[] = [sql`true`];
  if (q.categoryId) conds.push(sql`s.category_id = ${q.categoryId}`);
  if (q.locale) conds.push(sql`s.locale = ${q.locale}`);
  const found = await rows<ScenarioRow>(deps.db, sql`${SCENARIO_SELECT} WHERE ${sql.join(conds, sql` AND `)} ORDER BY s.created_at DESC LIMIT 200`);
  return { items: found.map(scenarioDto) };
}

interface AttemptRow {
  id: string;
  scenario_id: string;
  trainee_id: string;
  trainee_name: string;
  partner_id: string | null;
  conversation: Turn[];
  status: string;
  submitted_at: Date | null;
  reviewer_id: string | null;
  scores: Record<string, number> | null;
  score: number | null;
  feedback: string | null;
  reviewed_at: Date | null;
}

async function loadAttempt(db: DbOrTx, id: string, lock = false): Promise<AttemptRow> {
  const [a] = await rows<AttemptRow>(
    db,
    sql`SELECT a.*, s.name AS trainee_name FROM practice_attempts a JOIN staff_users s ON s.id = a.trainee_id WHERE a.id = ${id}
        ${lock ? sql`FOR UPDATE OF a` : sql``}`,
  );
  if (!a) throw notFound('Practice attempt');
  return a;
}

const canReview = (actor: StaffActor) => hasPermission(actor, 'quality:review') || hasPermission(actor, 'improve:manage');

/** What someone may see of an attempt: the trainee and partner see it; reviewers see all; the answer only once submitted. */
async function attemptDto(db: DbOrTx, actor: StaffActor, a: AttemptRow) {
  const involved = a.trainee_id === actor.userId || a.partner_id === actor.userId;
  if (!involved && !canReview(actor)) throw notFound('Practice attempt');
  const [s] = await rows<ScenarioRow>(db, sql`${SCENARIO_SELECT} WHERE s.id = ${a.scenario_id}`);
  if (!s) throw notFound('Practice scenario');
  const revealed = a.status !== 'in_progress';
  let playbook = null;
  if (revealed && s.category_id) {
    const [p] = await rows<PlaybookRow>(
      db,
      sql`${PLAYBOOK_SELECT} WHERE p.category_id = ${s.category_id} AND p.status = 'published'
          ORDER BY (p.locale = ${s.locale}) DESC, (p.locale = 'en') DESC LIMIT 1`,
    );
    playbook = p ? playbookDto(p) : null;
  }
  return {
    id: a.id,
    scenario: scenarioDto(s),
    trainee: { id: a.trainee_id, name: a.trainee_name },
    partnerId: a.partner_id,
    conversation: a.conversation,
    status: a.status as 'in_progress' | 'submitted' | 'reviewed',
    submittedAt: a.submitted_at ? iso(a.submitted_at) : null,
    referenceReply: revealed ? s.reference_reply : null,
    playbook,
    review:
      a.status === 'reviewed'
        ? { reviewerId: a.reviewer_id, scores: a.scores ?? {}, score: a.score ?? 0, feedback: a.feedback ?? '', reviewedAt: a.reviewed_at ? iso(a.reviewed_at) : null }
        : null,
  };
}

export async function startAttempt(deps: ServiceDeps, input: { actor: StaffActor; scenarioId: string; partnerId?: string | undefined }) {
  const now = deps.clock.now();
  const [s] = await rows<ScenarioRow>(deps.db, sql`${SCENARIO_SELECT} WHERE s.id = ${input.scenarioId}`);
  if (!s) throw notFound('Practice scenario');
  if (input.partnerId) {
    const [p] = await rows(deps.db, sql`SELECT 1 FROM staff_users WHERE id = ${input.partnerId} AND status = 'active'`);
    if (!p || input.partnerId === input.actor.userId) throw validationFailed([{ path: 'partnerId', message: 'choose an active colleague to play the customer' }]);
  }
  const first: Turn[] = [{ role: 'customer', text: s.customer_message, byId: input.partnerId ?? 'scenario', at: now.toISOString() }];
  const [row] = await rows<{ id: string }>(
    deps.db,
    sql`INSERT INTO practice_attempts (scenario_id, trainee_id, partner_id, conversation, created_at)
        VALUES (${input.scenarioId}, ${input.actor.userId}, ${input.partnerId ?? null}, ${JSON.stringify(first)}::jsonb, ${now.toISOString()}::timestamptz)
        RETURNING id`,
  );
  if (!row) throw new Error('attempt insert returned nothing');
  return attemptDto(deps.db, input.actor, await loadAttempt(deps.db, row.id));
}

export async function getAttempt(deps: ServiceDeps, input: { actor: StaffActor; id: string }) {
  return attemptDto(deps.db, input.actor, await loadAttempt(deps.db, input.id));
}

/** The trainee writes as the agent; in a role-play the partner writes as the customer. */
export async function addTurn(deps: ServiceDeps, input: { actor: StaffActor; id: string; text: string }) {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const a = await loadAttempt(tx, input.id, true);
    if (a.status !== 'in_progress') throw new AppError('CONFLICT', 'This practice was already submitted');
    let role: Turn['role'];
    if (a.trainee_id === input.actor.userId) role = 'agent';
    else if (a.partner_id === input.actor.userId) role = 'customer';
    else throw notFound('Practice attempt');
    const turn: Turn = { role, text: input.text, byId: input.actor.userId, at: now.toISOString() };
    await tx.execute(sql`UPDATE practice_attempts SET conversation = conversation || ${JSON.stringify([turn])}::jsonb WHERE id = ${input.id}`);
  });
  return getAttempt(deps, input);
}

export async function submitAttempt(deps: ServiceDeps, input: { actor: StaffActor; id: string }) {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const a = await loadAttempt(tx, input.id, true);
    if (a.trainee_id !== input.actor.userId) throw forbidden('Only the trainee submits their practice');
    if (a.status !== 'in_progress') throw new AppError('CONFLICT', 'This practice was already submitted');
    if (!a.conversation.some((t) => t.role === 'agent')) throw validationFailed([{ path: 'conversation', message: 'write a reply first' }]);
    await tx.execute(sql`UPDATE practice_attempts SET status = 'submitted', submitted_at = ${now.toISOString()}::timestamptz WHERE id = ${input.id}`);
    await recordEvent(tx, { type: 'practice.submitted', actor: input.actor, payload: { attemptId: input.id }, at: now });
  });
  return getAttempt(deps, input);
}

export async function reviewAttempt(
  deps: ServiceDeps,
  input: { actor: StaffActor; id: string; scorecardId?: string | undefined; scores: Record<string, number>; feedback: string },
) {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const a = await loadAttempt(tx, input.id, true);
    if (a.trainee_id === input.actor.userId) throw forbidden('Someone else reviews your practice');
    if (a.status !== 'submitted') throw new AppError('CONFLICT', a.status === 'reviewed' ? 'Already reviewed' : 'Not submitted yet');
    let criteria: ReadonlyArray<{ key: string; weight: number }> = DEFAULT_CRITERIA;
    if (input.scorecardId) {
      const [card] = await rows<{ criteria: Array<{ key: string; weight: number }> }>(tx, sql`SELECT criteria FROM quality_scorecards WHERE id = ${input.scorecardId}`);
      if (!card) throw validationFailed([{ path: 'scorecardId', message: 'no such scorecard' }]);
      criteria = card.criteria;
    }
    const { score, missing } = weightedScore(criteria, input.scores);
    if (missing.length > 0) throw validationFailed(missing.map((k) => ({ path: `scores.${k}`, message: 'score every criterion (0–4)' })));
    await tx.execute(sql`UPDATE practice_attempts SET status = 'reviewed', reviewer_id = ${input.actor.userId}, scorecard_id = ${input.scorecardId ?? null},
      scores = ${JSON.stringify(input.scores)}::jsonb, score = ${score}, feedback = ${input.feedback}, reviewed_at = ${now.toISOString()}::timestamptz
      WHERE id = ${input.id}`);
    if (score >= PRACTICE_PASS) {
      await insertAwards(tx, [{ staffId: a.trainee_id, reason: 'practice_completed', points: POINTS.practiceCompleted, key: `practice:${input.id}` }], null, now);
    }
    await recordEvent(tx, { type: 'practice.reviewed', actor: input.actor, payload: { attemptId: input.id, traineeId: a.trainee_id, score }, at: now });
  });
  return getAttempt(deps, input);
}

/** Attempts waiting for a review (reviewers), oldest first. */
export async function reviewQueue(deps: ServiceDeps) {
  const found = await rows<{ id: string; trainee_name: string; subject: string; submitted_at: Date }>(
    deps.db,
    sql`SELECT a.id, s2.name AS trainee_name, s.subject, a.submitted_at FROM practice_attempts a
        JOIN practice_scenarios s ON s.id = a.scenario_id JOIN staff_users s2 ON s2.id = a.trainee_id
        WHERE a.status = 'submitted' ORDER BY a.submitted_at LIMIT 200`,
  );
  return { items: found.map((r) => ({ id: r.id, trainee: r.trainee_name, subject: r.subject, submittedAt: iso(r.submitted_at) })) };
}

/** Progress per category for one trainee (themselves, or anyone for reviewers). */
export async function progress(deps: ServiceDeps, input: { actor: StaffActor; traineeId?: string | undefined }) {
  const traineeId = input.traineeId ?? input.actor.userId;
  if (traineeId !== input.actor.userId && !canReview(input.actor)) throw forbidden('You can only see your own progress');
  const found = await rows<{ category_id: string | null; category_name: string | null; attempts: number; reviewed: number; avg_score: number | null; best: number | null }>(
    deps.db,
    sql`SELECT s.category_id, c.name AS category_name, count(*)::int AS attempts,
          count(*) FILTER (WHERE a.status = 'reviewed')::int AS reviewed, round(avg(a.score))::int AS avg_score, max(a.score) AS best
        FROM practice_attempts a JOIN practice_scenarios s ON s.id = a.scenario_id LEFT JOIN categories c ON c.id = s.category_id
        WHERE a.trainee_id = ${traineeId} GROUP BY s.category_id, c.name ORDER BY c.name NULLS LAST`,
  );
  return {
    traineeId,
    items: found.map((r) => ({
      category: r.category_id && r.category_name ? { id: r.category_id, name: r.category_name } : null,
      attempts: r.attempts,
      reviewed: r.reviewed,
      averageScore: r.avg_score,
      bestScore: r.best,
    })),
  };
}
