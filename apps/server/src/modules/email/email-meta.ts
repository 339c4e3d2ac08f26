import { type SQL, sql } from 'drizzle-orm';
import { messages } from '../../platform/db/schema/index.ts';

/** `messages.meta.email` shallow-merged with `patch`, in SQL (no read-modify-write race). */
export function mergeEmailMeta(patch: Record<string, unknown>): SQL {
  return sql`${messages.meta} || jsonb_build_object('email', coalesce(${messages.meta}->'email', '{}'::jsonb) || ${JSON.stringify(patch)}::jsonb)`;
}
