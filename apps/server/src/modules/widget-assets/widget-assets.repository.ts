import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { widgets } from '../../platform/db/schema/index.ts';

export interface WidgetEmbedRow {
  publicKey: string;
  name: string;
  primaryColor: string;
  position: string;
  defaultLanguage: string;
  allowedOrigins: string[];
}

const columns = {
  publicKey: widgets.publicKey,
  name: widgets.name,
  primaryColor: widgets.primaryColor,
  position: widgets.position,
  defaultLanguage: widgets.defaultLanguage,
  allowedOrigins: widgets.allowedOrigins,
};

/** An active widget by its public key; unknown or disabled: null. */
export async function findEmbeddableWidget(db: DbOrTx, key: string): Promise<WidgetEmbedRow | null> {
  const [row] = await db
    .select(columns)
    .from(widgets)
    .where(and(eq(widgets.publicKey, key), eq(widgets.status, 'active')))
    .limit(1);
  return row ?? null;
}

/** The oldest active widget (what the demo page shows without ?key=). */
export async function findFirstActiveWidget(db: DbOrTx): Promise<WidgetEmbedRow | null> {
  const [row] = await db.select(columns).from(widgets).where(eq(widgets.status, 'active')).orderBy(asc(widgets.createdAt)).limit(1);
  return row ?? null;
}
