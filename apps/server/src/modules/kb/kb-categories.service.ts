import type {
  CreateKbCategoryBody,
  CreateKbSectionBody,
  KbCategory,
  KbSection,
  UpdateKbCategoryBody,
  UpdateKbSectionBody,
} from '@seva/contracts';
import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { kbCategories, kbSections } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { kbCategoryNotFound, kbSectionNotFound, kbSlugTaken } from './kb.errors.ts';
import { slugify } from './kb-body.ts';

type CategoryRow = typeof kbCategories.$inferSelect;
type SectionRow = typeof kbSections.$inferSelect;

export function toCategoryDto(row: CategoryRow): KbCategory {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    translations: row.translations,
    position: row.position,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toSectionDto(row: SectionRow): KbSection {
  return { ...toCategoryDto(row), categoryId: row.categoryId };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

export async function listCategories(db: DbOrTx): Promise<KbCategory[]> {
  const rows = await db.select().from(kbCategories).orderBy(asc(kbCategories.position), asc(kbCategories.name));
  return rows.map(toCategoryDto);
}

export async function listSections(db: DbOrTx, categoryId?: string): Promise<KbSection[]> {
  const rows = await db
    .select()
    .from(kbSections)
    .where(categoryId ? eq(kbSections.categoryId, categoryId) : undefined)
    .orderBy(asc(kbSections.position), asc(kbSections.name));
  return rows.map(toSectionDto);
}

interface WriteInput<T> {
  actor: Actor;
  body: T;
  now: Date;
}

export async function createCategory(tx: DbOrTx, input: WriteInput<CreateKbCategoryBody>): Promise<KbCategory> {
  const slug = input.body.slug ?? slugify(input.body.name);
  try {
    const [row] = await tx
      .insert(kbCategories)
      .values({ ...input.body, slug, createdAt: input.now, updatedAt: input.now })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await recordEvent(tx, {
      type: 'kb_category.created',
      actor: input.actor,
      payload: { categoryId: row.id, slug },
      at: input.now,
    });
    return toCategoryDto(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw kbSlugTaken(slug);
    throw err;
  }
}

export async function updateCategory(
  tx: DbOrTx,
  input: WriteInput<UpdateKbCategoryBody> & { id: string },
): Promise<KbCategory> {
  try {
    const [row] = await tx
      .update(kbCategories)
      .set({ ...input.body, updatedAt: input.now })
      .where(eq(kbCategories.id, input.id))
      .returning();
    if (!row) throw kbCategoryNotFound();
    await recordEvent(tx, {
      type: 'kb_category.updated',
      actor: input.actor,
      payload: { categoryId: row.id },
      at: input.now,
    });
    return toCategoryDto(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw kbSlugTaken(input.body.slug ?? '');
    throw err;
  }
}

/** Deleting a category deletes its sections; their articles stay, without a section. */
export async function deleteCategory(tx: DbOrTx, input: { actor: Actor; id: string; now: Date }): Promise<void> {
  const rows = await tx.delete(kbCategories).where(eq(kbCategories.id, input.id)).returning({ id: kbCategories.id });
  if (rows.length === 0) throw kbCategoryNotFound();
  await recordEvent(tx, {
    type: 'kb_category.deleted',
    actor: input.actor,
    payload: { categoryId: input.id },
    at: input.now,
  });
}

async function assertCategory(tx: DbOrTx, id: string): Promise<void> {
  const [row] = await tx.select({ id: kbCategories.id }).from(kbCategories).where(eq(kbCategories.id, id)).limit(1);
  if (!row) throw kbCategoryNotFound();
}

export async function createSection(tx: DbOrTx, input: WriteInput<CreateKbSectionBody>): Promise<KbSection> {
  await assertCategory(tx, input.body.categoryId);
  const slug = input.body.slug ?? slugify(input.body.name);
  try {
    const [row] = await tx
      .insert(kbSections)
      .values({ ...input.body, slug, createdAt: input.now, updatedAt: input.now })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await recordEvent(tx, {
      type: 'kb_section.created',
      actor: input.actor,
      payload: { sectionId: row.id, slug },
      at: input.now,
    });
    return toSectionDto(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw kbSlugTaken(slug);
    throw err;
  }
}

export async function updateSection(
  tx: DbOrTx,
  input: WriteInput<UpdateKbSectionBody> & { id: string },
): Promise<KbSection> {
  if (input.body.categoryId) await assertCategory(tx, input.body.categoryId);
  try {
    const [row] = await tx
      .update(kbSections)
      .set({ ...input.body, updatedAt: input.now })
      .where(eq(kbSections.id, input.id))
      .returning();
    if (!row) throw kbSectionNotFound();
    await recordEvent(tx, {
      type: 'kb_section.updated',
      actor: input.actor,
      payload: { sectionId: row.id },
      at: input.now,
    });
    return toSectionDto(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw kbSlugTaken(input.body.slug ?? '');
    throw err;
  }
}

export async function deleteSection(tx: DbOrTx, input: { actor: Actor; id: string; now: Date }): Promise<void> {
  const rows = await tx.delete(kbSections).where(eq(kbSections.id, input.id)).returning({ id: kbSections.id });
  if (rows.length === 0) throw kbSectionNotFound();
  await recordEvent(tx, {
    type: 'kb_section.deleted',
    actor: input.actor,
    payload: { sectionId: input.id },
    at: input.now,
  });
}
