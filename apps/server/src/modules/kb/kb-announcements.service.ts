import type {
  CreateKbAnnouncementBody,
  KbAnnouncement,
  KbAnnouncementReceipts,
  UpdateKbAnnouncementBody,
} from '@seva/contracts';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { type Actor, hasPermission, type StaffActor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import {
  kbAnnouncementReceipts,
  kbAnnouncements,
  kbArticles,
  macros,
  staffUsers,
} from '../../platform/db/schema/index.ts';
import { notFound, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { articleHtmlToText, type BodyFormat, renderArticleBody } from './kb-body.ts';

/**
 * Internal announcements ("keep reps informed"): editors (categories:manage) write them for some or all roles and
 * link the articles and macros they change; every staff member in the audience acknowledges once (read receipt);
 * editors see who has not read yet and send reminders (a live notification and an email to each of them).
 * Changing the title or text of a published announcement clears the receipts: everyone reads it again.
 */
type Row = typeof kbAnnouncements.$inferSelect;

function isEditor(actor: Actor): boolean {
  return hasPermission(actor, 'categories:manage');
}

function isForRole(row: Row, role: string): boolean {
  return row.audienceRoles.length === 0 || row.audienceRoles.includes(role);
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

async function toDtos(db: DbOrTx, actor: StaffActor, rows: Row[]): Promise<KbAnnouncement[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const mine = await db
    .select({ id: kbAnnouncementReceipts.announcementId, at: kbAnnouncementReceipts.acknowledgedAt })
    .from(kbAnnouncementReceipts)
    .where(and(inArray(kbAnnouncementReceipts.announcementId, ids), eq(kbAnnouncementReceipts.userId, actor.userId)));
  const counts = await db
    .select({ id: kbAnnouncementReceipts.announcementId, n: sql<number>`count(*)::int` })
    .from(kbAnnouncementReceipts)
    .where(inArray(kbAnnouncementReceipts.announcementId, ids))
    .groupBy(kbAnnouncementReceipts.announcementId);
  const ackAt = new Map(mine.map((m) => [m.id, m.at]));
  const countOf = new Map(counts.map((c) => [c.id, c.n]));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    bodyHtml: r.bodyHtml,
    severity: r.severity as KbAnnouncement['severity'],
    status: r.status as KbAnnouncement['status'],
    audienceRoles: r.audienceRoles as KbAnnouncement['audienceRoles'],
    articleIds: r.articleIds,
    macroIds: r.macroIds,
    ackDueAt: iso(r.ackDueAt),
    publishedAt: iso(r.publishedAt),
    lastRemindedAt: iso(r.lastRemindedAt),
    acknowledgedAt: iso(ackAt.get(r.id) ?? null),
    isForMe: isForRole(r, actor.role),
    acknowledgedCount: countOf.get(r.id) ?? 0,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/** Editors see every announcement; other staff see published ones meant for their role. */
async function findVisible(db: DbOrTx, actor: StaffActor, id: string, forUpdate = false): Promise<Row> {
  const q = db.select().from(kbAnnouncements).where(eq(kbAnnouncements.id, id)).limit(1);
  const [row] = forUpdate ? await q.for('update') : await q;
  if (!row) throw notFound('Announcement');
  if (!isEditor(actor) && (row.status !== 'published' || !isForRole(row, actor.role))) throw notFound('Announcement');
  return row;
}

async function assertArticles(db: DbOrTx, ids: string[] | undefined): Promise<void> {
  if (!ids || ids.length === 0) return;
  const found = await db.select({ id: kbArticles.id }).from(kbArticles).where(inArray(kbArticles.id, ids));
  const ok = new Set(found.map((f) => f.id));
  const missing = ids.filter((id) => !ok.has(id));
  if (missing.length > 0) {
    throw validationFailed(missing.map((id) => ({ path: `body.articleIds`, message: `no article ${id}` })));
  }
}

/** Linked macros must exist (the macros module's table; shared or personal, an announcement may name either). */
async function assertMacros(db: DbOrTx, ids: string[] | undefined): Promise<void> {
  if (!ids || ids.length === 0) return;
  const found = await db.select({ id: macros.id }).from(macros).where(inArray(macros.id, ids));
  const ok = new Set(found.map((f) => f.id));
  const missing = ids.filter((id) => !ok.has(id));
  if (missing.length > 0) {
    throw validationFailed(missing.map((id) => ({ path: 'body.macroIds', message: `no macro ${id}` })));
  }
}

/**
 * The text a macro's `{{announcement:<id>}}` inserts: the title and plain text of a published announcement the
 * actor may read (its audience, or an editor); anything else is null (the macro preview lists it as missing).
 */
export async function announcementTextsForMacro(
  db: DbOrTx,
  input: { actor: StaffActor; ids: string[] },
): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = Object.fromEntries(input.ids.map((id) => [id, null]));
  const ids = input.ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  if (ids.length === 0) return out;
  const rows = await db
    .select()
    .from(kbAnnouncements)
    .where(and(inArray(kbAnnouncements.id, ids), eq(kbAnnouncements.status, 'published')));
  for (const row of rows) {
    if (!isEditor(input.actor) && !isForRole(row, input.actor.role)) continue;
    for (const id of input.ids) {
      if (id.toLowerCase() === row.id) out[id] = `${row.title}\n\n${articleHtmlToText(row.bodyHtml)}`;
    }
  }
  return out;
}

export async function listAnnouncements(
  db: DbOrTx,
  input: { actor: StaffActor; unreadOnly: boolean },
): Promise<KbAnnouncement[]> {
  const editor = isEditor(input.actor);
  const rows = await db
    .select()
    .from(kbAnnouncements)
    .where(editor && !input.unreadOnly ? undefined : eq(kbAnnouncements.status, 'published'))
    .orderBy(desc(kbAnnouncements.publishedAt), desc(kbAnnouncements.createdAt))
    .limit(200);
  const visible = rows.filter((r) => (editor && !input.unreadOnly) || isForRole(r, input.actor.role));
  const dtos = await toDtos(db, input.actor, visible);
  return input.unreadOnly ? dtos.filter((d) => d.acknowledgedAt === null) : dtos;
}

export async function getAnnouncement(db: DbOrTx, input: { actor: StaffActor; id: string }): Promise<KbAnnouncement> {
  const row = await findVisible(db, input.actor, input.id);
  const [dto] = await toDtos(db, input.actor, [row]);
  if (!dto) throw notFound('Announcement');
  return dto;
}

export async function createAnnouncement(
  tx: DbOrTx,
  input: { actor: StaffActor; body: CreateKbAnnouncementBody; now: Date },
): Promise<KbAnnouncement> {
  const { actor, body, now } = input;
  await assertArticles(tx, body.articleIds);
  await assertMacros(tx, body.macroIds);
  const [row] = await tx
    .insert(kbAnnouncements)
    .values({
      title: body.title,
      bodyHtml: renderArticleBody(body.body, body.format),
      bodySource: body.body,
      sourceFormat: body.format,
      severity: body.severity,
      status: body.status,
      audienceRoles: [...new Set(body.audienceRoles)],
      articleIds: [...new Set(body.articleIds)],
      macroIds: [...new Set(body.macroIds)],
      ackDueAt: body.ackDueAt ? new Date(body.ackDueAt) : null,
      publishedAt: body.status === 'published' ? now : null,
      createdById: actor.userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await recordEvent(tx, {
    type: 'kb_announcement.created',
    actor,
    payload: { announcementId: row.id, status: row.status },
    at: now,
  });
  if (row.status === 'published') {
    await recordEvent(tx, {
      type: 'kb_announcement.published',
      actor,
      payload: {
        announcementId: row.id,
        audienceRoles: row.audienceRoles,
        articleIds: row.articleIds,
        macroIds: row.macroIds,
      },
      at: now,
    });
  }
  return getAnnouncement(tx, { actor, id: row.id });
}

export async function updateAnnouncement(
  tx: DbOrTx,
  input: { actor: StaffActor; id: string; changes: UpdateKbAnnouncementBody; now: Date },
): Promise<KbAnnouncement> {
  const { actor, changes, now } = input;
  const current = await findVisible(tx, actor, input.id, true);
  await assertArticles(tx, changes.articleIds);
  await assertMacros(tx, changes.macroIds);
  const set: Partial<typeof kbAnnouncements.$inferInsert> = { updatedAt: now };
  if (changes.title !== undefined) set.title = changes.title;
  if (changes.body !== undefined) {
    const format = (changes.format ?? current.sourceFormat) as BodyFormat;
    set.bodyHtml = renderArticleBody(changes.body, format);
    set.bodySource = changes.body;
    set.sourceFormat = format;
  }
  if (changes.severity !== undefined) set.severity = changes.severity;
  if (changes.audienceRoles !== undefined) set.audienceRoles = [...new Set(changes.audienceRoles)];
  if (changes.articleIds !== undefined) set.articleIds = [...new Set(changes.articleIds)];
  if (changes.macroIds !== undefined) set.macroIds = [...new Set(changes.macroIds)];
  if (changes.ackDueAt !== undefined) set.ackDueAt = changes.ackDueAt ? new Date(changes.ackDueAt) : null;
  const publishing = changes.status === 'published' && current.status !== 'published';
  if (changes.status !== undefined) set.status = changes.status;
  if (publishing) set.publishedAt = now;
  const textChanged =
    (set.title !== undefined && set.title !== current.title) ||
    (set.bodySource !== undefined && set.bodySource !== current.bodySource);
  await tx.update(kbAnnouncements).set(set).where(eq(kbAnnouncements.id, current.id));
  if (textChanged && current.status === 'published') {
    await tx.delete(kbAnnouncementReceipts).where(eq(kbAnnouncementReceipts.announcementId, current.id));
  }
  await recordEvent(tx, {
    type: publishing ? 'kb_announcement.published' : 'kb_announcement.updated',
    actor,
    payload: { announcementId: current.id, receiptsCleared: textChanged && current.status === 'published' },
    at: now,
  });
  return getAnnouncement(tx, { actor, id: current.id });
}

/** Records the actor's read receipt (idempotent). Only for published announcements meant for the actor's role. */
export async function acknowledgeAnnouncement(
  tx: DbOrTx,
  input: { actor: StaffActor; id: string; now: Date },
): Promise<KbAnnouncement> {
  const row = await findVisible(tx, input.actor, input.id);
  if (row.status !== 'published' || !isForRole(row, input.actor.role)) throw notFound('Announcement');
  const inserted = await tx
    .insert(kbAnnouncementReceipts)
    .values({ announcementId: row.id, userId: input.actor.userId, acknowledgedAt: input.now })
    .onConflictDoNothing()
    .returning({ userId: kbAnnouncementReceipts.userId });
  if (inserted.length > 0) {
    await recordEvent(tx, {
      type: 'kb_announcement.acknowledged',
      actor: input.actor,
      payload: { announcementId: row.id },
      at: input.now,
    });
  }
  return getAnnouncement(tx, { actor: input.actor, id: row.id });
}

async function audience(db: DbOrTx, row: Row) {
  return db
    .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email })
    .from(staffUsers)
    .where(
      and(
        eq(staffUsers.status, 'active'),
        row.audienceRoles.length > 0 ? inArray(staffUsers.role, row.audienceRoles) : undefined,
      ),
    )
    .orderBy(asc(staffUsers.name));
}

export async function announcementReceipts(
  db: DbOrTx,
  input: { actor: StaffActor; id: string },
): Promise<KbAnnouncementReceipts> {
  const row = await findVisible(db, input.actor, input.id);
  const acks = await db
    .select({ userId: kbAnnouncementReceipts.userId, name: staffUsers.name, at: kbAnnouncementReceipts.acknowledgedAt })
    .from(kbAnnouncementReceipts)
    .innerJoin(staffUsers, eq(staffUsers.id, kbAnnouncementReceipts.userId))
    .where(eq(kbAnnouncementReceipts.announcementId, row.id))
    .orderBy(asc(kbAnnouncementReceipts.acknowledgedAt));
  const done = new Set(acks.map((a) => a.userId));
  const everyone = row.status === 'published' ? await audience(db, row) : [];
  return {
    acknowledged: acks.map((a) => ({ userId: a.userId, name: a.name, acknowledgedAt: a.at.toISOString() })),
    pending: everyone.filter((u) => !done.has(u.id)).map((u) => ({ userId: u.id, name: u.name, email: u.email })),
  };
}

/**
 * Reminds everyone who has not acknowledged yet, in the caller's transaction: `lastRemindedAt`, and the
 * `kb_announcement.reminded` event naming them (the realtime hub sends it to exactly those people as a live
 * notification). The caller queues the emails (`sendAnnouncementReminder` in kb-reminders.service.ts).
 */
export async function remindAnnouncement(
  tx: DbOrTx,
  input: { actor: StaffActor; id: string; now: Date },
): Promise<{ reminded: number; eventId: number | null; pending: KbAnnouncementReceipts['pending'] }> {
  const receipts = await announcementReceipts(tx, input);
  const userIds = receipts.pending.map((p) => p.userId);
  if (userIds.length === 0) return { reminded: 0, eventId: null, pending: [] };
  const [row] = await tx
    .update(kbAnnouncements)
    .set({ lastRemindedAt: input.now })
    .where(eq(kbAnnouncements.id, input.id))
    .returning({ title: kbAnnouncements.title });
  const eventId = await recordEvent(tx, {
    type: 'kb_announcement.reminded',
    actor: input.actor,
    payload: { announcementId: input.id, title: row?.title ?? '', userIds },
    at: input.now,
  });
  return { reminded: userIds.length, eventId, pending: receipts.pending };
}
