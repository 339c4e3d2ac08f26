import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';

export async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const res = await db.execute(query);
  return res.rows as T[];
}

export const iso = (d: Date | string): string => (d instanceof Date ? d : new Date(d)).toISOString();

export const truthy = (v: string | undefined): boolean => v === '1' || v === 'true';

/** Drops empty translations so `{ bn: '' }` does not hide the default name. */
export function cleanTranslations(
  t: { bn?: string | undefined; hi?: string | undefined } | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (t?.bn?.trim()) out.bn = t.bn.trim();
  if (t?.hi?.trim()) out.hi = t.hi.trim();
  return out;
}
