import type { ApplyMacroBody, CreateMacroBody, Macro, MacroActions, MacroPreview, Ticket, UpdateMacroBody } from '@seva/contracts';
import { and, asc, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { hasPermission, type StaffActor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { categories, customers, macros, staffUsers, teams } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { recordHandleTime } from '../insights/record-handle-time.ts';
import { announcementTextsForMacro } from '../kb/index.ts';
import { findVisibleTicket, postMessage } from '../tickets/index.ts';
import { ticketDtoOrThrow, updateTicket } from '../tickets/tickets.service.ts';
import { announcementRefs, articleRefs, chooseLanguage, renderMacro, unknownPlaceholders } from './render-macro.ts';

type Row = typeof macros.$inferSelect;
type ServiceDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

/** Shared macros are the desk's: supervisors and admins keep them. Personal ones belong to their owner. */
const canManageShared = (actor: StaffActor) => hasPermission(actor, 'categories:manage');

function toDto(r: Row, actor: StaffActor): Macro {
  return {
    id: r.id,
    name: r.name,
    shortcut: r.shortcut,
    shared: r.ownerId === null,
    ownerId: r.ownerId,
    bodies: r.bodies,
    internal: r.internal,
    actions: r.actions as MacroActions,
    active: r.active,
    usageCount: r.usageCount,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    editable: r.ownerId === actor.userId || (r.ownerId === null && canManageShared(actor)),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });

async function check(db: DbOrTx, body: { bodies?: Record<string, string> | undefined; actions?: MacroActions | undefined }, creating: boolean) {
  if (body.bodies) {
    for (const [lang, text] of Object.entries(body.bodies)) {
      const bad = unknownPlaceholders(text);
      if (bad.length > 0) throw invalid(`body.bodies.${lang}`, `unknown placeholder ${bad.map((b) => `{{${b}}}`).join(', ')}`);
    }
  }
  const hasText = body.bodies && Object.values(body.bodies).some((t) => t.trim() !== '');
  const a = body.actions ?? {};
  if (creating && !hasText && Object.keys(a).length === 0) throw invalid('body.bodies', 'a macro needs a text or at least one action');
  const exists = async (table: typeof teams | typeof staffUsers | typeof categories, id: string) => (await db.select({ id: table.id }).from(table).where(eq(table.id, id))).length > 0;
  if (a.teamId && !(await exists(teams, a.teamId))) throw invalid('body.actions.teamId', 'no such team');
  if (a.assigneeId && !(await exists(staffUsers, a.assigneeId))) throw invalid('body.actions.assigneeId', 'no such person');
  if (a.categoryId && !(await exists(categories, a.categoryId))) throw invalid('body.actions.categoryId', 'no such category');
}

function shortcutTaken(): AppError {
  return new AppError('CONFLICT', 'This shortcut is already used', { errors: [{ path: 'body.shortcut', message: 'already used' }] });
}

const visibleTo = (actor: StaffActor) => or(isNull(macros.ownerId), eq(macros.ownerId, actor.userId));

export async function listMacros(db: DbOrTx, actor: StaffActor, q: { q?: string | undefined; includeInactive?: boolean }): Promise<Macro[]> {
  const conds = [visibleTo(actor)];
  if (!q.includeInactive) conds.push(eq(macros.active, true));
  const term = q.q?.trim().replace(/^\//, '').toLowerCase();
  if (term) {
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(sql`(lower(${macros.name}) LIKE ${like} OR lower(coalesce(${macros.shortcut}, '')) LIKE ${like})`);
  }
  const rows = await db
    .select()
    .from(macros)
    .where(and(...conds))
    // an exact shortcut first, then the most used
    .orderBy(term ? desc(sql`lower(coalesce(${macros.shortcut}, '')) = ${term}`) : asc(sql`1`), desc(macros.usageCount), asc(macros.name))
    .limit(200);
  return rows.map((r) => toDto(r, actor));
}

async function visibleMacro(db: DbOrTx, actor: StaffActor, id: string): Promise<Row> {
  const [r] = await db.select().from(macros).where(and(eq(macros.id, id), visibleTo(actor)));
  if (!r) throw notFound('Macro');
  return r;
}

function mayEdit(actor: StaffActor, r: Row): void {
  if (r.ownerId === null ? !canManageShared(actor) : r.ownerId !== actor.userId) throw forbidden('You may not change this macro');
}

export async function createMacro(tx: DbOrTx, actor: StaffActor, body: CreateMacroBody, now: Date): Promise<Macro> {
  if (body.shared && !canManageShared(actor)) throw forbidden('Only supervisors and admins keep shared macros');
  await check(tx, body, true);
  const [r] = await tx
    .insert(macros)
    .values({
      name: body.name,
      shortcut: body.shortcut ?? null,
      ownerId: body.shared ? null : actor.userId,
      bodies: body.bodies,
      internal: body.internal,
      actions: body.actions,
      active: body.active,
      createdById: actor.userId,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!r) throw shortcutTaken();
  return toDto(r, actor);
}

export async function updateMacro(tx: DbOrTx, actor: StaffActor, id: string, body: UpdateMacroBody, now: Date): Promise<Macro> {
  const cur = await visibleMacro(tx, actor, id);
  mayEdit(actor, cur);
  await check(tx, body, false);
  const set: Partial<typeof macros.$inferInsert> = { updatedAt: now };
  for (const k of ['name', 'shortcut', 'bodies', 'internal', 'actions', 'active'] as const) {
    if (body[k] !== undefined) (set as Record<string, unknown>)[k] = body[k];
  }
  try {
    const [r] = await tx.update(macros).set(set).where(eq(macros.id, cur.id)).returning();
    if (!r) throw notFound('Macro');
    return toDto(r, actor);
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code === '23505' || (err as { code?: string }).code === '23505') throw shortcutTaken();
    throw err;
  }
}

export async function deleteMacro(tx: DbOrTx, actor: StaffActor, id: string): Promise<void> {
  const cur = await visibleMacro(tx, actor, id);
  mayEdit(actor, cur);
  await tx.delete(macros).where(eq(macros.id, cur.id));
}

/** Public help-centre links for article references (public articles only), in the answer's language when published, else in English. */
async function articleUrls(db: DbOrTx, refs: string[], language: string, base: string): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const ref of refs) {
    const r = await db.execute<{ article_id: string; locale: string; slug: string }>(sql`
      SELECT t.article_id, t.locale, t.slug FROM kb_article_translations t
        JOIN kb_articles a ON a.id = t.article_id AND a.visibility = 'public'
       WHERE t.status = 'published'
         AND (t.article_id::text = ${ref} OR t.article_id IN (SELECT s.article_id FROM kb_article_translations s WHERE s.slug = ${ref}))
       ORDER BY (t.locale = ${language}) DESC, (t.locale = 'en') DESC, t.locale
       LIMIT 1`);
    const a = r.rows[0];
    out[ref] = a ? `${base}/help/${a.locale}/articles/${a.article_id}/${encodeURIComponent(a.slug)}` : null;
  }
  return out;
}

export async function previewMacro(deps: ServiceDeps, actor: StaffActor, input: { ref: string; macroId: string; language?: string | undefined }): Promise<MacroPreview> {
  const t = await findVisibleTicket(deps.db, actor, input.ref);
  if (!t) throw notFound('Ticket');
  const m = await visibleMacro(deps.db, actor, input.macroId);
  const [c] = await deps.db.select({ name: customers.name, locale: customers.locale }).from(customers).where(eq(customers.id, t.customerId));
  const [me] = await deps.db.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, actor.userId));
  const pick = chooseLanguage(m.bodies, [input.language, t.language, c?.locale, 'en']);
  const text = m.bodies[pick.language] ?? '';
  const first = (s: string | undefined) => (s ?? '').trim().split(/\s+/)[0] ?? '';
  const base = (deps.config.publicUrl ?? '').replace(/\/+$/, '');
  const rendered = renderMacro(
    text,
    {
      'customer.name': c?.name ?? '',
      'customer.first_name': first(c?.name),
      'ticket.number': String(t.number),
      'ticket.subject': t.subject,
      'agent.name': me?.name ?? '',
      'agent.first_name': first(me?.name),
    },
    await articleUrls(deps.db, articleRefs(text), pick.language, base),
    await announcementTextsForMacro(deps.db, { actor, ids: announcementRefs(text) }),
  );
  return { language: pick.language, fellBack: pick.fellBack, body: rendered.body, internal: m.internal, actions: m.actions as MacroActions, missing: rendered.missing };
}

/** Posts the macro's reply or note (as edited) and applies its field changes, then counts the use. */
export async function applyMacro(deps: ServiceDeps, actor: StaffActor, input: { ref: string; macroId: string; body: ApplyMacroBody }): Promise<Ticket> {
  const preview = await previewMacro(deps, actor, { ref: input.ref, macroId: input.macroId, language: input.body.language });
  const t = await findVisibleTicket(deps.db, actor, input.ref);
  if (!t) throw notFound('Ticket');
  const text = (input.body.body ?? preview.body).trim();
  const a = preview.actions;
  if (text) {
    const message = await postMessage(deps, {
      actor,
      ref: t.id,
      body: { body: text, internal: preview.internal, ...(a.status && !preview.internal ? { status: a.status } : {}) },
    });
    // the composer's timer: a reply sent through a macro counts towards handle time like any other
    const seconds = input.body.handleSeconds;
    if (seconds !== undefined) await recordHandleTime(deps, { actor, messageId: message.id, seconds });
  }
  const changes: Record<string, unknown> = {};
  if (a.status && (preview.internal || !text)) changes.status = a.status;
  for (const k of ['priority', 'type', 'categoryId', 'teamId', 'assigneeId'] as const) if (a[k] !== undefined) changes[k] = a[k];
  if (a.addTags?.length || a.removeTags?.length) {
    const fresh = await findVisibleTicket(deps.db, actor, t.id);
    const drop = new Set((a.removeTags ?? []).map((x) => x.toLowerCase()));
    changes.tags = [...new Set([...(fresh?.tags ?? []), ...(a.addTags ?? [])])].filter((x) => !drop.has(x.toLowerCase()));
  }
  if (Object.keys(changes).length > 0) await updateTicket(deps, { actor, ref: t.id, changes });
  await deps.db
    .update(macros)
    .set({ usageCount: sql`${macros.usageCount} + 1`, lastUsedAt: deps.clock.now() })
    .where(eq(macros.id, input.macroId));
  return ticketDtoOrThrow(deps.db, actor, t.id);
}
