import fs from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { attachmentPath } from './attachment-storage.ts';

export interface DeleteOrphanAttachmentsInput {
  /** uploads not put on a message for this long are removed (default one day) */
  olderThanMs?: number;
}

/**
 * Housekeeping for the worker: removes uploads that never made it onto a message, and their files when no other
 * attachment shares the content. A file touched recently (the same content uploaded again) is left alone, so a
 * concurrent upload of identical bytes never loses its file.
 */
export async function deleteOrphanAttachments(
  deps: Pick<Deps, 'clock' | 'config'> & { db: DbOrTx },
  input: DeleteOrphanAttachmentsInput = {},
): Promise<{ rows: number; files: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - (input.olderThanMs ?? 24 * 60 * 60 * 1000));
  const deleted = await deps.db.execute<{ sha256: string }>(sql`
    DELETE FROM attachments WHERE message_id IS NULL AND created_at < ${cutoff.toISOString()}::timestamptz
    RETURNING sha256`);
  let files = 0;
  for (const sha256 of new Set(deleted.rows.map((r) => r.sha256))) {
    const still = await deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM attachments WHERE sha256 = ${sha256}`,
    );
    if ((still.rows[0]?.n ?? 0) > 0) continue;
    const file = attachmentPath(deps.config.dataDir, sha256);
    try {
      const st = await fs.stat(file);
      if (st.mtime >= cutoff) continue;
      await fs.rm(file);
      files += 1;
    } catch {
      // already gone
    }
  }
  return { rows: deleted.rows.length, files };
}

/** any 64-bit number unique to this housekeeping task; several processes share one database */
const ORPHAN_SWEEP_LOCK = 7_340_001;

/**
 * One sweep across all processes: whoever takes the advisory lock first does the work, the others skip this round.
 */
export async function sweepOrphanAttachments(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<{ rows: number; files: number } | null> {
  return deps.db.transaction(async (tx) => {
    const got = await tx.execute<{ ok: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${ORPHAN_SWEEP_LOCK}) AS ok`);
    if (!got.rows[0]?.ok) return null;
    return deleteOrphanAttachments({ ...deps, db: tx });
  });
}
