import {
  type CreateSavedViewBody,
  type SavedView,
  SavedViewFilterSchema,
  type SavedViewFilters,
  type UpdateSavedViewBody,
} from '@seva/contracts';
import { sql } from 'drizzle-orm';
import { type Actor, hasPermission, type StaffActor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { forbidden, notFound, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { iso, rows } from './admin.shared.ts';

type ServiceDeps = Pick<Deps, 'db'>;

interface ViewRow {
  id: string;
  owner_id: string | null;
  name: string;
  filters: SavedViewFilters;
  position: number;
  is_shared: boolean;
  created_at: Date;
}

function toView(r: ViewRow): SavedView {
  return {
    id: r.id,
    name: r.name,
    filters: r.filters,
    isShared: r.is_shared,
    ownerId: r.owner_id,
    position: r.position,
    createdAt: iso(r.created_at),
  };
}

/** Filters must be exactly what GET /tickets accepts (the tickets contract), so a view never breaks the list. */
export function validateViewFilters(filters: SavedViewFilters): void {
  const parsed = SavedViewFilterSchema.safeParse(filters);
  if (!parsed.success) {
    throw validationFailed(
      parsed.error.issues.map((i) => ({
        path: [
          'filters',
          ...i.path.map(String),
          ...('keys' in i && Array.isArray(i.keys) ? [String(i.keys[0])] : []),
        ].join('.'),
        message: i.message,
      })),
      'The view filters are not valid ticket-list filters',
    );
  }
}

function assertMayShare(actor: Actor): void {
  if (!hasPermission(actor, 'views:share')) throw forbidden('Sharing views needs the views:share permission');
}

/** The actor's personal views and every shared view, in position order. */
export async function listViews(deps: ServiceDeps, opts: { actor: StaffActor }): Promise<{ items: SavedView[] }> {
  const found = await rows<ViewRow>(
    deps.db,
    sql`SELECT * FROM saved_views WHERE owner_id = ${opts.actor.userId} OR is_shared
        ORDER BY is_shared, position, lower(name), id`,
  );
  return { items: found.map(toView) };
}

/** A view the actor may see: their own, or a shared one. Someone else's personal view answers 404. */
async function visibleView(db: DbOrTx, actor: StaffActor, id: string): Promise<ViewRow> {
  const [row] = await rows<ViewRow>(
    db,
    sql`SELECT * FROM saved_views WHERE id = ${id} AND (owner_id = ${actor.userId} OR is_shared) FOR UPDATE`,
  );
  if (!row) throw notFound('View');
  return row;
}

export async function createView(
  deps: ServiceDeps,
  opts: { actor: StaffActor; body: CreateSavedViewBody },
): Promise<SavedView> {
  const { body } = opts;
  validateViewFilters(body.filters);
  if (body.isShared) assertMayShare(opts.actor);
  return deps.db.transaction(async (tx) => {
    const [row] = await rows<ViewRow>(
      tx,
      sql`INSERT INTO saved_views (owner_id, name, filters, position, is_shared)
          VALUES (${opts.actor.userId}, ${body.name}, ${JSON.stringify(body.filters)}::jsonb,
            COALESCE(${body.position ?? null}::int,
              (SELECT COALESCE(max(position) + 1, 0) FROM saved_views WHERE owner_id = ${opts.actor.userId})),
            ${body.isShared ?? false})
          RETURNING *`,
    );
    if (!row) throw new Error('view insert returned nothing');
    await recordEvent(tx, {
      type: 'view.created',
      actor: opts.actor,
      payload: { viewId: row.id, name: row.name, isShared: row.is_shared },
    });
    return toView(row);
  });
}

/** Owners change their personal views; shared views (and sharing itself) need views:share. */
export async function updateView(
  deps: ServiceDeps,
  opts: { actor: StaffActor; id: string; body: UpdateSavedViewBody },
): Promise<SavedView> {
  const { body } = opts;
  if (body.filters) validateViewFilters(body.filters);
  return deps.db.transaction(async (tx) => {
    const view = await visibleView(tx, opts.actor, opts.id);
    if (view.is_shared || body.isShared === true) assertMayShare(opts.actor);
    const sets = [];
    if (body.name !== undefined) sets.push(sql`name = ${body.name}`);
    if (body.filters !== undefined) sets.push(sql`filters = ${JSON.stringify(body.filters)}::jsonb`);
    if (body.position !== undefined) sets.push(sql`position = ${body.position}`);
    if (body.isShared !== undefined) sets.push(sql`is_shared = ${body.isShared}`);
    if (sets.length === 0) return toView(view);
    const [row] = await rows<ViewRow>(
      tx,
      sql`UPDATE saved_views SET ${sql.join(sets, sql`, `)} WHERE id = ${opts.id} RETURNING *`,
    );
    if (!row) throw notFound('View');
    await recordEvent(tx, {
      type: 'view.updated',
      actor: opts.actor,
      payload: { viewId: opts.id, fields: Object.keys(body) },
    });
    return toView(row);
  });
}

export async function deleteView(deps: ServiceDeps, opts: { actor: StaffActor; id: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const view = await visibleView(tx, opts.actor, opts.id);
    if (view.is_shared) assertMayShare(opts.actor);
    await tx.execute(sql`DELETE FROM saved_views WHERE id = ${opts.id}`);
    await recordEvent(tx, { type: 'view.deleted', actor: opts.actor, payload: { viewId: opts.id, name: view.name } });
  });
}
