import { randomBytes } from 'node:crypto';
import type { Widget, WidgetBody, WidgetPatch } from '@seva/contracts';
import { and, asc, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { businessCalendars, calendarAssignments, teams, widgets } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import type { SecretBox } from '../email/secret-box.ts';

type WidgetRow = typeof widgets.$inferSelect;

/** The one line a site pastes; `baseUrl` is SEVA_PUBLIC_URL, else the address the admin reached Seva at. */
export function widgetSnippet(baseUrl: string, publicKey: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<script src="${attr(`${base}/widget.js`)}" data-seva-key="${attr(publicKey)}" async></script>`;
}

function toWidget(w: WidgetRow, calendarId: string | null, baseUrl: string): Widget {
  return {
    id: w.id,
    publicKey: w.publicKey,
    name: w.name,
    status: w.status as Widget['status'],
    primaryColor: w.primaryColor,
    position: w.position as Widget['position'],
    defaultLanguage: w.defaultLanguage,
    greetings: w.greetings,
    allowedOrigins: w.allowedOrigins,
    options: w.options,
    preChatFields: w.preChatFields as Widget['preChatFields'],
    teamId: w.teamId,
    calendarId,
    offerTimeoutSeconds: w.offerTimeoutSeconds,
    requireIdentity: w.requireIdentity,
    hasIdentitySecret: w.identitySecretEnc !== null,
    snippet: widgetSnippet(baseUrl, w.publicKey),
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

async function calendarOf(db: DbOrTx, widgetId: string): Promise<string | null> {
  const [a] = await db
    .select({ id: calendarAssignments.calendarId })
    .from(calendarAssignments)
    .where(and(eq(calendarAssignments.targetKind, 'widget'), eq(calendarAssignments.targetId, widgetId)));
  return a?.id ?? null;
}

async function checkReferences(db: DbOrTx, body: WidgetPatch): Promise<void> {
  const errors: Array<{ path: string; message: string }> = [];
  if (body.teamId) {
    const [t] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, body.teamId));
    if (!t) errors.push({ path: 'teamId', message: 'no such team' });
  }
  if (body.calendarId) {
    const [c] = await db.select({ id: businessCalendars.id }).from(businessCalendars).where(eq(businessCalendars.id, body.calendarId));
    if (!c) errors.push({ path: 'calendarId', message: 'no such calendar' });
  }
  if (body.preChatFields) {
    const keys = body.preChatFields.map((f) => f.key);
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i) errors.push({ path: `preChatFields.${i}.key`, message: 'each field needs its own key' });
    });
  }
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', { errors });
}

async function setCalendar(db: DbOrTx, widgetId: string, calendarId: string | null | undefined, now: Date): Promise<void> {
  if (calendarId === undefined) return;
  await db.delete(calendarAssignments).where(and(eq(calendarAssignments.targetKind, 'widget'), eq(calendarAssignments.targetId, widgetId)));
  if (calendarId) await db.insert(calendarAssignments).values({ targetKind: 'widget', targetId: widgetId, calendarId, createdAt: now });
}

function columns(body: WidgetPatch): Partial<typeof widgets.$inferInsert> {
  const { calendarId: _calendar, ...rest } = body;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<typeof widgets.$inferInsert>;
}

export async function listWidgets(db: DbOrTx, baseUrl: string): Promise<Widget[]> {
  const rows = await db.select().from(widgets).orderBy(asc(widgets.name), asc(widgets.createdAt));
  const cals = await db.select().from(calendarAssignments).where(eq(calendarAssignments.targetKind, 'widget'));
  const byWidget = new Map(cals.map((c) => [c.targetId, c.calendarId]));
  return rows.map((w) => toWidget(w, byWidget.get(w.id) ?? null, baseUrl));
}

export async function getWidget(db: DbOrTx, id: string, baseUrl: string): Promise<Widget> {
  const [w] = await db.select().from(widgets).where(eq(widgets.id, id));
  if (!w) throw notFound('Widget');
  return toWidget(w, await calendarOf(db, id), baseUrl);
}

export async function createWidget(tx: DbOrTx, input: { actor: Actor; body: WidgetBody; baseUrl: string; now: Date }): Promise<Widget> {
  await checkReferences(tx, input.body);
  const [w] = await tx
    .insert(widgets)
    .values({ ...columns(input.body), name: input.body.name, publicKey: `wk_${randomBytes(18).toString('base64url')}`, createdAt: input.now, updatedAt: input.now })
    .returning();
  if (!w) throw new Error('widget insert returned nothing');
  await setCalendar(tx, w.id, input.body.calendarId, input.now);
  await recordEvent(tx, { type: 'widget.created', actor: input.actor, payload: { widgetId: w.id, name: w.name }, at: input.now });
  return getWidget(tx, w.id, input.baseUrl);
}

export async function updateWidget(tx: DbOrTx, input: { actor: Actor; id: string; body: WidgetPatch; baseUrl: string; now: Date }): Promise<Widget> {
  const [w] = await tx.select({ id: widgets.id }).from(widgets).where(eq(widgets.id, input.id)).for('update');
  if (!w) throw notFound('Widget');
  await checkReferences(tx, input.body);
  await tx.update(widgets).set({ ...columns(input.body), updatedAt: input.now }).where(eq(widgets.id, input.id));
  await setCalendar(tx, input.id, input.body.calendarId, input.now);
  await recordEvent(tx, { type: 'widget.updated', actor: input.actor, payload: { widgetId: input.id, changed: Object.keys(input.body) }, at: input.now });
  return getWidget(tx, input.id, input.baseUrl);
}

export async function deleteWidget(tx: DbOrTx, input: { actor: Actor; id: string; now: Date }): Promise<void> {
  const gone = await tx.delete(widgets).where(eq(widgets.id, input.id)).returning({ id: widgets.id });
  if (gone.length === 0) throw notFound('Widget');
  await tx.delete(calendarAssignments).where(and(eq(calendarAssignments.targetKind, 'widget'), eq(calendarAssignments.targetId, input.id)));
  await recordEvent(tx, { type: 'widget.deleted', actor: input.actor, payload: { widgetId: input.id }, at: input.now });
}

/** A new HMAC secret for identity verification: stored sealed, answered once, never shown again. */
export async function rotateIdentitySecret(tx: DbOrTx, input: { actor: Actor; id: string; box: SecretBox; now: Date }): Promise<{ secret: string }> {
  const secret = randomBytes(32).toString('base64url');
  const done = await tx
    .update(widgets)
    .set({ identitySecretEnc: input.box.seal(secret), updatedAt: input.now })
    .where(eq(widgets.id, input.id))
    .returning({ id: widgets.id });
  if (done.length === 0) throw notFound('Widget');
  await recordEvent(tx, { type: 'widget.identity_secret_rotated', actor: input.actor, payload: { widgetId: input.id }, at: input.now });
  return { secret };
}
