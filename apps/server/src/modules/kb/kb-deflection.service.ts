import type { KbDeflectionEventBody, KbDeflectionRow } from '@seva/contracts';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { kbArticles } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';

/**
 * Deflection: the widget, the web form and the help centre report "suggestions shown → article opened (→ this
 * solved it) → contact submitted or abandoned" for one client-made session id. Each report is an event (`kb_deflection.<event>`) in the
 * append-only events table; the report below reads them back per language and channel.
 */
export const DEFLECTION_TYPES = [
  'kb_deflection.suggestions_shown',
  'kb_deflection.article_opened',
  'kb_deflection.article_solved',
  'kb_deflection.contact_submitted',
  'kb_deflection.contact_abandoned',
] as const;

/** Article ids kept in the log are only those of public articles (anyone can post here). */
async function publicIds(tx: DbOrTx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .select({ id: kbArticles.id })
    .from(kbArticles)
    .where(and(inArray(kbArticles.id, ids), eq(kbArticles.visibility, 'public')));
  const ok = new Set(rows.map((r) => r.id));
  return ids.filter((id) => ok.has(id));
}

export async function recordDeflectionEvent(
  tx: DbOrTx,
  input: { body: KbDeflectionEventBody; now: Date },
): Promise<void> {
  const { body } = input;
  const articleIds = await publicIds(tx, [...new Set(body.articleIds ?? [])]);
  const [articleId] = body.articleId ? await publicIds(tx, [body.articleId]) : [];
  await recordEvent(tx, {
    type: `kb_deflection.${body.event}`,
    actor: { kind: 'system' },
    payload: {
      sessionId: body.sessionId,
      channel: body.channel,
      locale: body.locale ?? null,
      ...(body.query ? { query: body.query } : {}),
      ...(articleIds.length > 0 ? { articleIds } : {}),
      ...(articleId ? { articleId } : {}),
    },
    at: input.now,
  });
}

export async function deflectionReport(db: DbOrTx, opts: { days: number; now: Date }): Promise<KbDeflectionRow[]> {
  const since = new Date(opts.now.getTime() - opts.days * 86_400_000).toISOString();
  const { rows } = await db.execute<{
    locale: string | null;
    channel: string;
    sessions: number;
    opened: number;
    solved: number;
    submitted: number;
    abandoned: number;
  }>(sql`
    WITH s AS (
      SELECT payload->>'sessionId' AS sid, max(payload->>'channel') AS channel, max(payload->>'locale') AS locale,
             bool_or(type = 'kb_deflection.suggestions_shown') AS shown,
             bool_or(type = 'kb_deflection.article_opened') AS opened,
             bool_or(type = 'kb_deflection.article_solved') AS solved,
             bool_or(type = 'kb_deflection.contact_submitted') AS submitted,
             bool_or(type = 'kb_deflection.contact_abandoned') AS abandoned
      FROM events
      WHERE type IN (${sql.join(
        DEFLECTION_TYPES.map((t) => sql`${t}`),
        sql`, `,
      )}) AND created_at >= ${since}::timestamptz
      GROUP BY payload->>'sessionId'
    )
    SELECT locale, channel,
           count(*) FILTER (WHERE shown)::int AS sessions,
           count(*) FILTER (WHERE shown AND opened)::int AS opened,
           count(*) FILTER (WHERE shown AND solved)::int AS solved,
           count(*) FILTER (WHERE shown AND submitted)::int AS submitted,
           count(*) FILTER (WHERE shown AND abandoned AND NOT submitted)::int AS abandoned
    FROM s GROUP BY locale, channel HAVING count(*) FILTER (WHERE shown) > 0
    ORDER BY locale NULLS LAST, channel`);
  return rows.map((r) => ({
    locale: r.locale,
    channel: r.channel,
    sessions: r.sessions,
    articleOpened: r.opened,
    articleSolved: r.solved,
    contactSubmitted: r.submitted,
    contactAbandoned: r.abandoned,
    deflectionRate: r.sessions === 0 ? 0 : Math.round(((r.sessions - r.submitted) / r.sessions) * 1000) / 1000,
  }));
}
