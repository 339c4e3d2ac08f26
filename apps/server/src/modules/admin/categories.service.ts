import type { Category, CreateCategoryBody, DeleteConfigResult, UpdateCategoryBody } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { isUniqueViolation } from '../customers/index.ts';
import { cleanTranslations, iso, rows } from './admin.shared.ts';

type ServiceDeps = Pick<Deps, 'db'>;

interface CategoryRow {
  id: string;
  name: string;
  translations: Record<string, string>;
  position: number;
  is_active: boolean;
  ticket_count: number;
  created_at: Date;
}

function toCategory(r: CategoryRow): Category {
  return {
    id: r.id,
    name: r.name,
    translations: cleanTranslations(r.translations),
    position: r.position,
    isActive: r.is_active,
    ticketCount: r.ticket_count,
    createdAt: iso(r.created_at),
  };
}

const SELECT = sql`SELECT c.id, c.name, c.translations, c.position, c.is_active, c.created_at,
  (SELECT count(*) FROM tickets t WHERE t.category_id = c.id)::int AS ticket_count FROM categories c`;

/** Ordered by position, then name. Inactive categories only when asked for (admin screens). */
export async function listCategories(
  deps: ServiceDeps,
  opts: { includeInactive: boolean },
): Promise<{ items: Category[] }> {
  const found = await rows<CategoryRow>(
    deps.db,
    sql`${SELECT} ${opts.includeInactive ? sql`` : sql`WHERE c.is_active`} ORDER BY c.position, lower(c.name), c.id`,
  );
  return { items: found.map(toCategory) };
}

async function getCategory(db: DbOrTx, id: string): Promise<Category> {
  const [row] = await rows<CategoryRow>(db, sql`${SELECT} WHERE c.id = ${id}`);
  if (!row) throw notFound('Category');
  return toCategory(row);
}

async function assertNameFree(db: DbOrTx, name: string, exceptId?: string): Promise<void> {
  const [clash] = await rows(
    db,
    sql`SELECT 1 FROM categories WHERE lower(name) = lower(${name}) ${exceptId ? sql`AND id <> ${exceptId}` : sql``}`,
  );
  if (clash) throw new AppError('ALREADY_EXISTS', `A category named ${name} already exists`);
}

function nameTaken(err: unknown): never {
  if (isUniqueViolation(err)) throw new AppError('ALREADY_EXISTS', 'A category with this name already exists');
  throw err;
}

export async function createCategory(
  deps: ServiceDeps,
  opts: { actor: Actor; body: CreateCategoryBody },
): Promise<Category> {
  const { body } = opts;
  try {
    return await deps.db.transaction(async (tx) => {
      await assertNameFree(tx, body.name);
      const [row] = await rows<{ id: string }>(
        tx,
        sql`INSERT INTO categories (name, translations, position, is_active)
            VALUES (${body.name}, ${JSON.stringify(cleanTranslations(body.translations))}::jsonb,
              COALESCE(${body.position ?? null}::int, (SELECT COALESCE(max(position) + 1, 0) FROM categories)),
              ${body.isActive ?? true})
            RETURNING id`,
      );
      if (!row) throw new Error('category insert returned nothing');
      await recordEvent(tx, {
        type: 'category.created',
        actor: opts.actor,
        payload: { categoryId: row.id, name: body.name },
      });
      return getCategory(tx, row.id);
    });
  } catch (err) {
    return nameTaken(err);
  }
}

export async function updateCategory(
  deps: ServiceDeps,
  opts: { actor: Actor; id: string; body: UpdateCategoryBody },
): Promise<Category> {
  const { body } = opts;
  try {
    return await deps.db.transaction(async (tx) => {
      await getCategory(tx, opts.id);
      if (body.name !== undefined) await assertNameFree(tx, body.name, opts.id);
      const sets = [];
      if (body.name !== undefined) sets.push(sql`name = ${body.name}`);
      if (body.translations !== undefined)
        sets.push(sql`translations = ${JSON.stringify(cleanTranslations(body.translations))}::jsonb`);
      if (body.position !== undefined) sets.push(sql`position = ${body.position}`);
      if (body.isActive !== undefined) sets.push(sql`is_active = ${body.isActive}`);
      if (sets.length > 0) {
        await tx.execute(sql`UPDATE categories SET ${sql.join(sets, sql`, `)} WHERE id = ${opts.id}`);
        await recordEvent(tx, {
          type: 'category.updated',
          actor: opts.actor,
          payload: { categoryId: opts.id, fields: Object.keys(body) },
        });
      }
      return getCategory(tx, opts.id);
    });
  } catch (err) {
    return nameTaken(err);
  }
}

/** A category that tickets use is deactivated instead (reports keep their history); an unused one is removed. */
export async function deleteCategory(
  deps: ServiceDeps,
  opts: { actor: Actor; id: string },
): Promise<DeleteConfigResult> {
  return deps.db.transaction(async (tx) => {
    const [row] = await rows<{ name: string }>(tx, sql`SELECT name FROM categories WHERE id = ${opts.id} FOR UPDATE`);
    if (!row) throw notFound('Category');
    const [used] = await rows(tx, sql`SELECT 1 FROM tickets WHERE category_id = ${opts.id} LIMIT 1`);
    if (used) {
      await tx.execute(sql`UPDATE categories SET is_active = false WHERE id = ${opts.id}`);
      await recordEvent(tx, {
        type: 'category.deactivated',
        actor: opts.actor,
        payload: { categoryId: opts.id, name: row.name },
      });
      return { outcome: 'deactivated' as const };
    }
    await tx.execute(sql`DELETE FROM categories WHERE id = ${opts.id}`);
    await recordEvent(tx, {
      type: 'category.deleted',
      actor: opts.actor,
      payload: { categoryId: opts.id, name: row.name },
    });
    return { outcome: 'deleted' as const };
  });
}
