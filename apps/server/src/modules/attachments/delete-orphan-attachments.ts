import fs from 'node:fs/promises';
import { sql } from 'drizzle-orm';
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
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
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
