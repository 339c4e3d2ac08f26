import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';

/** What decides whether and where a ticket counts as open: its status and its current dimensions. */
export interface OpenFacts {
  status: string;
  channel: string;
  categoryId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  language: string | null;
}

export interface OpenDelta {
  channel: string;
  categoryKey: string;
  teamKey: string;
  assigneeKey: string;
  languageKey: string;
  open: number;
}

const CLOSED = new Set(['solved', 'closed']);

const keyOf = (d: OpenDelta) => [d.channel, d.categoryKey, d.teamKey, d.assigneeKey, d.languageKey].join('\u0000');

function contribution(f: OpenFacts | null, sign: 1 | -1): OpenDelta[] {
  if (!f || CLOSED.has(f.status)) return [];
  return [
    {
      channel: f.channel,
      categoryKey: f.categoryId ?? '',
      teamKey: f.teamId ?? '',
      assigneeKey: f.assigneeId ?? '',
      languageKey: f.language ?? '',
      open: sign,
    },
  ];
}

/** Merges deltas with the same key, drops those that cancel out, in key order (the lock order). */
export function netOpen(deltas: OpenDelta[]): OpenDelta[] {
  const m = new Map<string, OpenDelta>();
  for (const d of deltas) {
    const cur = m.get(keyOf(d));
    if (cur) cur.open += d.open;
    else m.set(keyOf(d), { ...d });
  }
  return [...m.values()].filter((d) => d.open !== 0).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
}

/**
 * Moves a ticket between the open counts when its status or dimensions change (before → after; null for a new or a
 * removed ticket): the deltas, written with the rest of the transaction's insight rows (insight-writes.ts). Every
 * new ticket adds to its key's count, so the rows are sharded by the writing connection like the hourly rollup
 * (rollup-shards.ts); readers sum.
 */
export function openCountDeltas(before: OpenFacts | null, after: OpenFacts | null): OpenDelta[] {
  return [...contribution(before, -1), ...contribution(after, 1)];
}

/** Rebuilds the open counts from insight_ticket_facts (part of rebuildInsights, after the facts are rebuilt). */
export async function rebuildOpenCounts(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`DELETE FROM insight_open_counts`);
  await tx.execute(sql`
    INSERT INTO insight_open_counts (channel, category_key, team_key, assignee_key, language_key, open)
    SELECT channel, coalesce(category_id::text, ''), coalesce(team_id::text, ''), coalesce(assignee_id::text, ''),
           coalesce(language, ''), count(*)
      FROM insight_ticket_facts WHERE status NOT IN ('solved', 'closed')
     GROUP BY 1, 2, 3, 4, 5`);
}
