import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { chatVisitors, widgets } from '../../platform/db/schema/index.ts';
import { sha256Hex } from '../../platform/auth/tokens.ts';

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

/** The visitor holding this raw token, with its widget, when the widget is still active. */
export async function findVisitorByToken(
  db: DbOrTx,
  rawToken: string,
): Promise<{ visitor: VisitorRow; widget: WidgetRow } | null> {
  if (rawToken.length < 20 || rawToken.length > 200) return null;
  const [row] = await db
    .select({ visitor: chatVisitors, widget: widgets })
    .from(chatVisitors)
    .innerJoin(widgets, eq(widgets.id, chatVisitors.widgetId))
    .where(and(eq(chatVisitors.tokenHash, sha256Hex(rawToken)), eq(widgets.status, 'active')))
    .limit(1);
  return row ?? null;
}
