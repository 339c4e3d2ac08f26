import { and, eq, sql } from 'drizzle-orm';
import { sha256Hex } from '../../platform/auth/tokens.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { chatVisitors, widgets } from '../../platform/db/schema/index.ts';

export type WidgetRow = typeof widgets.$inferSelect;
export type VisitorRow = typeof chatVisitors.$inferSelect;

/** An active widget by its public key (disabled or unknown: null). */
export async function findActiveWidget(db: DbOrTx, key: string): Promise<WidgetRow | null> {
  const [w] = await db
    .select()
    .from(widgets)
    .where(and(eq(widgets.publicKey, key), eq(widgets.status, 'active')))
    .limit(1);
  return w ?? null;
}

/** Runs on every widget request and socket: built once (platform/db/reusable-query.ts). */
const visitorByTokenHash = reusableQuery((db) =>
  db
    .select({ visitor: chatVisitors, widget: widgets })
    .from(chatVisitors)
    .innerJoin(widgets, eq(widgets.id, chatVisitors.widgetId))
    .where(and(eq(chatVisitors.tokenHash, sql.placeholder('tokenHash')), eq(widgets.status, 'active')))
    .limit(1),
);

/** The visitor holding this raw token, with its widget, when the widget is still active. */
export async function findVisitorByToken(
  db: DbOrTx,
  rawToken: string,
): Promise<{ visitor: VisitorRow; widget: WidgetRow } | null> {
  if (rawToken.length < 20 || rawToken.length > 200) return null;
  const [row] = await visitorByTokenHash(db, { tokenHash: sha256Hex(rawToken) });
  return row ?? null;
}
