import type { Playbook, UpsertPlaybookBody } from '@seva/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { Actor, StaffActor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { findVisibleTicket } from '../tickets/index.ts';
import { iso, rows } from './improve.repository.ts';
import { draftPlaybookText, type PlaybookLocale } from './playbook-draft.ts';

type ServiceDeps = Pick<Deps, 'db' | 'clock'>;

interface PlaybookRow {
  id: string;
  category_id: string;
  category_name: string;
  category_translations: Record<string, string>;
  team_id: string | null;
  locale: string;
  title: string;
  summary: string;
  steps: string[];
  macro_id: string | null;
  article_ids: string[];
  examples: Array<{ ticketId: string; messageId: string; excerpt: string }>;
  status: string;
  generated: number;
  updated_by_id: string | null;
  updated_by_name: string | null;
  updated_at: Date;
}

const SELECT = sql`SELECT p.id, p.category_id, c.name AS category_name, c.translations AS category_translations, p.team_id,
    p.locale, p.title, p.summary, p.steps, p.macro_id, p.article_ids, p.examples, p.status, p.generated,
    p.updated_by_id, s.name AS updated_by_name, p.updated_at
  FROM playbooks p JOIN categories c ON c.id = p.category_id LEFT JOIN staff_users s ON s.id = p.updated_by_id`;

const toDto = (r: PlaybookRow): Playbook => ({
  id: r.id,
  category: { id: r.category_id, name: r.category_translations?.[r.locale] || r.category_name },
  teamId: r.team_id,
  locale: r.locale as PlaybookLocale,
  title: r.title,
  summary: r.summary,
  steps: r.steps,
  macroId: r.macro_id,
  articleIds: r.article_ids,
  examples: r.examples,
  status: r.status as 'draft' | 'published',
  generated: r.generated > 0,
  updatedBy: r.updated_by_id && r.updated_by_name ? { id: r.updated_by_id, name: r.updated_by_name } : null,
  updatedAt: iso(r.updated_at),
});

async function one(db: DbOrTx, where: SQL): Promise<Playbook | null> {
  const [row] = await rows<PlaybookRow>(db, sql`${SELECT} WHERE ${where}`);
  return row ? toDto(row) : null;
}

export async function listPlaybooks(
  deps: ServiceDeps,
  q: { locale?: string | undefined; categoryId?: string | undefined; status?: string | undefined },
): Promise<{ items: Playbook[] }> {
  const conds: SQL[] = [sql`true`];
  if (q.locale) conds.push(sql`p.locale = ${q.locale}`);
  if (q.categoryId) conds.push(sql`p.category_id = ${q.categoryId}`);
  if (q.status) conds.push(sql`p.status = ${q.status}`);
  const found = await rows<PlaybookRow>(
    deps.db,
    sql`${SELECT} WHERE ${sql.join(conds, sql` AND `)} ORDER BY c.position, lower(c.name), p.locale LIMIT 500`,
  );
  return { items: found.map(toDto) };
}

/** Creates or replaces the playbook of one category in one language (a person's edit: no longer "generated"). */
export async function upsertPlaybook(deps: ServiceDeps, input: { actor: StaffActor; body: UpsertPlaybookBody }): Promise<Playbook> {
  const { actor, body } = input;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const errors = [];
    const [cat] = await rows(tx, sql`SELECT 1 FROM categories WHERE id = ${body.categoryId}`);
    if (!cat) errors.push({ path: 'categoryId', message: 'no such category' });
    if (body.teamId) {
      const [team] = await rows(tx, sql`SELECT 1 FROM teams WHERE id = ${body.teamId}`);
      if (!team) errors.push({ path: 'teamId', message: 'no such team' });
    }
    if (errors.length > 0) throw validationFailed(errors);
    const articleIds = sql`${sql.param(body.articleIds ?? [])}::uuid[]`;
    const steps = sql`${sql.param(body.steps)}::text[]`;
    await tx.execute(sql`
      INSERT INTO playbooks (category_id, team_id, locale, title, summary, steps, macro_id, article_ids, status, generated,
        updated_by_id, created_at, updated_at)
      VALUES (${body.categoryId}, ${body.teamId ?? null}, ${body.locale}, ${body.title}, ${body.summary ?? ''}, ${steps},
        ${body.macroId ?? null}, ${articleIds}, ${body.status ?? 'draft'}, 0, ${actor.userId}, ${now.toISOString()}::timestamptz,
        ${now.toISOString()}::timestamptz)
      ON CONFLICT (category_id, locale) DO UPDATE SET team_id = EXCLUDED.team_id, title = EXCLUDED.title,
        summary = EXCLUDED.summary, steps = EXCLUDED.steps, macro_id = EXCLUDED.macro_id, article_ids = EXCLUDED.article_ids,
        status = EXCLUDED.status, generated = 0, updated_by_id = EXCLUDED.updated_by_id, updated_at = EXCLUDED.updated_at`);
    await recordEvent(tx, {
      type: 'playbook.saved',
      actor,
      payload: { categoryId: body.categoryId, locale: body.locale, status: body.status ?? 'draft' },
      at: now,
    });
  });
  const saved = await one(deps.db, sql`p.category_id = ${body.categoryId} AND p.locale = ${body.locale}`);
  if (!saved) throw new Error('playbook vanished');
  return saved;
}

const DAYS = 90;

/**
 * Drafts playbooks for the `top` most contacted categories of the last 90 days in one language: the numbers, the
 * standard steps, the public articles most linked… and up to three example replies that earned a good CSAT rating
 * (4–5), else that solved the ticket without it being reopened. A playbook a person has edited is never overwritten.
 */
export async function generatePlaybooks(
  deps: ServiceDeps,
  input: { actor: StaffActor; locale: PlaybookLocale; top: number },
): Promise<{ items: Playbook[] }> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - DAYS * 86_400_000).toISOString();
  const top = await rows<{ id: string; name: string; translations: Record<string, string>; n: number; median_hours: number | null }>(
    deps.db,
    sql`SELECT c.id, c.name, c.translations, x.n, x.median_hours FROM (
          SELECT category_id, count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (solved_at - created_at)) / 3600)
              FILTER (WHERE solved_at IS NOT NULL) AS median_hours
          FROM tickets WHERE created_at >= ${since}::timestamptz AND category_id IS NOT NULL AND merged_into_id IS NULL
          GROUP BY category_id ORDER BY count(*) DESC LIMIT ${input.top}) x
        JOIN categories c ON c.id = x.category_id ORDER BY x.n DESC`,
  );
  const ids: string[] = [];
  for (const cat of top) {
    const examples = await rows<{ ticket_id: string; message_id: string; body_text: string }>(
      deps.db,
      sql`SELECT DISTINCT ON (t.id) t.id AS ticket_id, m.id AS message_id, m.body_text,
            coalesce(s.rating, 0) AS rating, t.solved_at
          FROM tickets t
          JOIN messages m ON m.ticket_id = t.id AND m.kind = 'public' AND m.author_type = 'staff' AND m.status <> 'pending_approval'
          LEFT JOIN survey_requests s ON s.ticket_id = t.id AND s.kind = 'csat' AND s.status = 'answered'
          WHERE t.category_id = ${cat.id} AND t.status IN ('solved', 'closed') AND t.solved_at >= ${since}::timestamptz
            AND (t.language = ${input.locale} OR (${input.locale} = 'en' AND t.language IS NULL))
            AND (s.rating >= 4 OR (s.rating IS NULL AND NOT EXISTS (
              SELECT 1 FROM events e WHERE e.ticket_id = t.id AND e.type = 'ticket.status_changed'
                AND e.payload->>'from' IN ('solved', 'closed') AND e.payload->>'to' NOT IN ('solved', 'closed'))))
          ORDER BY t.id, m.seq DESC
          LIMIT 50`,
    );
    const best = examples
      .sort((a, b) => Number((b as { rating?: number }).rating ?? 0) - Number((a as { rating?: number }).rating ?? 0))
      .slice(0, 3)
      .map((e) => ({ ticketId: e.ticket_id, messageId: e.message_id, excerpt: e.body_text.slice(0, 600) }));
    const categoryName = cat.translations?.[input.locale] || cat.name;
    const text = draftPlaybookText(input.locale, {
      category: categoryName,
      contacts: cat.n,
      days: DAYS,
      medianHoursToSolve: cat.median_hours === null ? null : Math.round(cat.median_hours * 10) / 10,
      goodExamples: best.length,
      articleCount: 0,
    });
    const steps = sql`${sql.param(text.steps)}::text[]`;
    const res = await rows<{ id: string }>(
      deps.db,
      sql`INSERT INTO playbooks (category_id, locale, title, summary, steps, examples, status, generated, updated_by_id, created_at, updated_at)
          VALUES (${cat.id}, ${input.locale}, ${text.title}, ${text.summary}, ${steps}, ${JSON.stringify(best)}::jsonb, 'draft', 1,
            ${input.actor.userId}, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
          ON CONFLICT (category_id, locale) DO UPDATE SET title = EXCLUDED.title, summary = EXCLUDED.summary,
            steps = EXCLUDED.steps, examples = EXCLUDED.examples, updated_at = EXCLUDED.updated_at
            WHERE playbooks.generated > 0 AND playbooks.status = 'draft'
          RETURNING id`,
    );
    const [existing] = res.length > 0 ? res : await rows<{ id: string }>(
      deps.db,
      sql`SELECT id FROM playbooks WHERE category_id = ${cat.id} AND locale = ${input.locale}`,
    );
    if (existing) ids.push(existing.id);
  }
  await deps.db.transaction(async (tx) => {
    await recordEvent(tx, { type: 'playbook.generated', actor: input.actor, payload: { locale: input.locale, categories: top.length }, at: now });
  });
  if (ids.length === 0) return { items: [] };
  const found = await rows<PlaybookRow>(
    deps.db,
    sql`${SELECT} WHERE p.id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`,
  );
  const order = new Map(ids.map((id, i) => [id, i]));
  return { items: found.map(toDto).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)) };
}

/**
 * The published playbook an agent sees on a ticket: its category in the ticket's language, else English, else
 * any published language. Null when the ticket has no category or the category no published playbook.
 */
export async function playbookForTicket(deps: ServiceDeps, input: { actor: Actor; ref: string }): Promise<Playbook | null> {
  const t = await findVisibleTicket(deps.db, input.actor, input.ref);
  if (!t) throw notFound('Ticket');
  if (!t.categoryId) return null;
  const [row] = await rows<PlaybookRow>(
    deps.db,
    sql`${SELECT} WHERE p.category_id = ${t.categoryId} AND p.status = 'published'
        ORDER BY (p.locale = ${t.language ?? 'en'}) DESC, (p.locale = 'en') DESC, p.locale LIMIT 1`,
  );
  return row ? toDto(row) : null;
}

export async function deletePlaybook(deps: ServiceDeps, input: { actor: StaffActor; id: string }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const res = await tx.execute(sql`DELETE FROM playbooks WHERE id = ${input.id}`);
    if ((res.rowCount ?? 0) === 0) throw notFound('Playbook');
    await recordEvent(tx, { type: 'playbook.deleted', actor: input.actor, payload: { playbookId: input.id }, at: now });
  });
}

export { SELECT as PLAYBOOK_SELECT, toDto as playbookDto, type PlaybookRow };
