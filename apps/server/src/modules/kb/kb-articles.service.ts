import type {
  CreateKbArticleBody,
  KbArticle,
  KbArticleListQuery,
  KbArticleStatus,
  KbArticleSummary,
  KbArticleVersion,
  KbLocale,
  KbTranslation,
  SaveKbTranslationBody,
  UpdateKbArticleBody,
} from '@seva/contracts';
import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { type Actor, hasPermission } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import {
  kbArticles,
  kbArticleTranslations,
  kbArticleVersions,
  kbSections,
  staffUsers,
} from '../../platform/db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import {
  kbArticleNotFound,
  kbNeedsEditor,
  kbSectionNotFound,
  kbTranslationNotFound,
  kbVersionConflict,
  kbVersionNotFound,
} from './kb.errors.ts';
import { articleHtmlToText, type BodyFormat, renderArticleBody, slugify, summarise } from './kb-body.ts';
import { buildSearchColumns } from './kb-search-columns.ts';

type ArticleRow = typeof kbArticles.$inferSelect;
type TranslationRow = typeof kbArticleTranslations.$inferSelect;

const EDITOR_STATUSES: ReadonlySet<KbArticleStatus> = new Set(['published', 'archived']);

/** Drafting needs tickets:reply (checked by the route); publishing, archiving and changing live text need an editor. */
function isEditor(actor: Actor): boolean {
  return hasPermission(actor, 'categories:manage');
}

function actorId(actor: Actor): string | null {
  return actor.kind === 'staff' ? actor.userId : null;
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

async function staffNames(db: DbOrTx, ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: staffUsers.id, name: staffUsers.name })
    .from(staffUsers)
    .where(inArray(staffUsers.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function toTranslationDto(row: TranslationRow, names: Map<string, string>): KbTranslation {
  return {
    id: row.id,
    locale: row.locale as KbLocale,
    title: row.title,
    slug: row.slug,
    summary: row.summary,
    bodyHtml: row.bodyHtml,
    sourceFormat: row.sourceFormat as BodyFormat,
    bodySource: row.bodySource,
    status: row.status as KbArticleStatus,
    version: row.version,
    publishedAt: iso(row.publishedAt),
    helpfulCount: row.helpfulCount,
    notHelpfulCount: row.notHelpfulCount,
    viewCount: row.viewCount,
    updatedBy: row.updatedById ? { id: row.updatedById, name: names.get(row.updatedById) ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toArticleDto(article: ArticleRow, translations: TranslationRow[], names: Map<string, string>): KbArticle {
  return {
    id: article.id,
    sectionId: article.sectionId,
    visibility: article.visibility as KbArticle['visibility'],
    position: article.position,
    tags: article.tags,
    translations: translations.map((t) => toTranslationDto(t, names)),
    createdAt: article.createdAt.toISOString(),
    updatedAt: article.updatedAt.toISOString(),
  };
}

export async function getArticle(db: DbOrTx, articleId: string): Promise<KbArticle> {
  const [article] = await db.select().from(kbArticles).where(eq(kbArticles.id, articleId)).limit(1);
  if (!article) throw kbArticleNotFound();
  const translations = await db
    .select()
    .from(kbArticleTranslations)
    .where(eq(kbArticleTranslations.articleId, articleId))
    .orderBy(asc(kbArticleTranslations.locale));
  const names = await staffNames(
    db,
    translations.map((t) => t.updatedById),
  );
  return toArticleDto(article, translations, names);
}

async function assertSection(db: DbOrTx, sectionId: string | null | undefined): Promise<void> {
  if (!sectionId) return;
  const [row] = await db.select({ id: kbSections.id }).from(kbSections).where(eq(kbSections.id, sectionId)).limit(1);
  if (!row) throw kbSectionNotFound();
}

interface TranslationContent {
  title: string;
  body: string;
  format: BodyFormat;
  summary?: string | undefined;
  slug?: string | undefined;
}

function contentColumns(c: TranslationContent) {
  const bodyHtml = renderArticleBody(c.body, c.format);
  const bodyText = articleHtmlToText(bodyHtml);
  const summary = (c.summary ?? '').trim() || summarise(bodyText);
  return {
    title: c.title.trim(),
    slug: c.slug ?? slugify(c.title),
    summary,
    bodyHtml,
    bodyText,
    sourceFormat: c.format,
    bodySource: c.body,
    ...buildSearchColumns({ title: c.title, bodyText }),
  };
}

async function storeVersion(tx: DbOrTx, row: TranslationRow, actor: Actor, restoredFrom: number | null): Promise<void> {
  await tx.insert(kbArticleVersions).values({
    translationId: row.id,
    version: row.version,
    title: row.title,
    summary: row.summary,
    bodyHtml: row.bodyHtml,
    sourceFormat: row.sourceFormat,
    bodySource: row.bodySource,
    status: row.status,
    restoredFrom,
    createdById: actorId(actor),
    createdAt: row.updatedAt,
  });
}

export interface CreateArticleInput {
  actor: Actor;
  body: CreateKbArticleBody;
  now: Date;
}

/** Creates an article (the translation group) with its first translation, version 1. */
export async function createArticle(tx: DbOrTx, input: CreateArticleInput): Promise<KbArticle> {
  const { actor, body, now } = input;
  if (EDITOR_STATUSES.has(body.status) && !isEditor(actor)) throw kbNeedsEditor();
  await assertSection(tx, body.sectionId);
  const [article] = await tx
    .insert(kbArticles)
    .values({
      sectionId: body.sectionId ?? null,
      visibility: body.visibility,
      position: body.position,
      tags: body.tags,
      createdById: actorId(actor),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!article) throw new Error('article insert returned nothing');
  const [translation] = await tx
    .insert(kbArticleTranslations)
    .values({
      articleId: article.id,
      locale: body.locale,
      ...contentColumns(body),
      status: body.status,
      version: 1,
      publishedAt: body.status === 'published' ? now : null,
      updatedById: actorId(actor),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!translation) throw new Error('translation insert returned nothing');
  await storeVersion(tx, translation, actor, null);
  await recordEvent(tx, {
    type: 'kb_article.created',
    actor,
    payload: { articleId: article.id, locale: body.locale, status: body.status, visibility: body.visibility },
    at: now,
  });
  if (body.status === 'published') {
    await recordEvent(tx, {
      type: 'kb_article.published',
      actor,
      payload: { articleId: article.id, locale: body.locale, version: 1 },
      at: now,
    });
  }
  return getArticle(tx, article.id);
}

export interface SaveTranslationInput {
  actor: Actor;
  articleId: string;
  locale: KbLocale;
  body: SaveKbTranslationBody;
  now: Date;
}

/** Creates or saves one translation. Every save is a new version; status changes are recorded as events. */
export async function saveTranslation(tx: DbOrTx, input: SaveTranslationInput): Promise<KbArticle> {
  const { actor, articleId, locale, body, now } = input;
  const [article] = await tx.select().from(kbArticles).where(eq(kbArticles.id, articleId)).for('update').limit(1);
  if (!article) throw kbArticleNotFound();
  const [current] = await tx
    .select()
    .from(kbArticleTranslations)
    .where(and(eq(kbArticleTranslations.articleId, articleId), eq(kbArticleTranslations.locale, locale)))
    .limit(1);
  const nextStatus: KbArticleStatus = body.status ?? (current?.status as KbArticleStatus | undefined) ?? 'draft';
  const touchesLive = current?.status === 'published' || EDITOR_STATUSES.has(nextStatus);
  if (touchesLive && !isEditor(actor)) throw kbNeedsEditor();
  if (current && body.baseVersion !== undefined && body.baseVersion !== current.version)
    throw kbVersionConflict(current.version);

  const columns = contentColumns({ ...body, slug: body.slug ?? current?.slug });
  let saved: TranslationRow | undefined;
  if (!current) {
    [saved] = await tx
      .insert(kbArticleTranslations)
      .values({
        articleId,
        locale,
        ...columns,
        status: nextStatus,
        version: 1,
        publishedAt: nextStatus === 'published' ? now : null,
        updatedById: actorId(actor),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
  } else {
    [saved] = await tx
      .update(kbArticleTranslations)
      .set({
        ...columns,
        status: nextStatus,
        version: current.version + 1,
        publishedAt: nextStatus === 'published' && current.status !== 'published' ? now : current.publishedAt,
        updatedById: actorId(actor),
        updatedAt: now,
      })
      .where(eq(kbArticleTranslations.id, current.id))
      .returning();
  }
  if (!saved) throw new Error('translation save returned nothing');
  await storeVersion(tx, saved, actor, null);
  await tx.update(kbArticles).set({ updatedAt: now }).where(eq(kbArticles.id, articleId));
  await recordEvent(tx, {
    type: current ? 'kb_translation.saved' : 'kb_translation.created',
    actor,
    payload: { articleId, locale, version: saved.version, status: nextStatus },
    at: now,
  });
  if (current && current.status !== nextStatus) {
    await recordEvent(tx, {
      type: nextStatus === 'published' ? 'kb_article.published' : 'kb_translation.status_changed',
      actor,
      payload: { articleId, locale, from: current.status, to: nextStatus, version: saved.version },
      at: now,
    });
  } else if (!current && nextStatus === 'published') {
    await recordEvent(tx, { type: 'kb_article.published', actor, payload: { articleId, locale, version: 1 }, at: now });
  }
  return getArticle(tx, articleId);
}

export interface UpdateArticleInput {
  actor: Actor;
  articleId: string;
  changes: UpdateKbArticleBody;
  now: Date;
}

/** Visibility, section, tags and position of the whole translation group (editors only: it changes who sees it). */
export async function updateArticle(tx: DbOrTx, input: UpdateArticleInput): Promise<KbArticle> {
  const { actor, articleId, changes, now } = input;
  const [article] = await tx.select().from(kbArticles).where(eq(kbArticles.id, articleId)).for('update').limit(1);
  if (!article) throw kbArticleNotFound();
  await assertSection(tx, changes.sectionId);
  const set: Partial<typeof kbArticles.$inferInsert> = { updatedAt: now };
  const changed: Record<string, unknown> = {};
  if (changes.visibility !== undefined && changes.visibility !== article.visibility) {
    set.visibility = changes.visibility;
    changed.visibility = { from: article.visibility, to: changes.visibility };
  }
  if (changes.sectionId !== undefined && changes.sectionId !== article.sectionId) {
    set.sectionId = changes.sectionId;
    changed.sectionId = { from: article.sectionId, to: changes.sectionId };
  }
  if (changes.tags !== undefined) {
    set.tags = [...new Set(changes.tags)];
    changed.tags = set.tags;
  }
  if (changes.position !== undefined) {
    set.position = changes.position;
    changed.position = changes.position;
  }
  await tx.update(kbArticles).set(set).where(eq(kbArticles.id, articleId));
  if (Object.keys(changed).length > 0) {
    await recordEvent(tx, { type: 'kb_article.updated', actor, payload: { articleId, changes: changed }, at: now });
  }
  return getArticle(tx, articleId);
}

export async function deleteArticle(tx: DbOrTx, input: { actor: Actor; articleId: string; now: Date }): Promise<void> {
  const deleted = await tx
    .delete(kbArticles)
    .where(eq(kbArticles.id, input.articleId))
    .returning({ id: kbArticles.id });
  if (deleted.length === 0) throw kbArticleNotFound();
  await recordEvent(tx, {
    type: 'kb_article.deleted',
    actor: input.actor,
    payload: { articleId: input.articleId },
    at: input.now,
  });
}

async function findTranslation(db: DbOrTx, articleId: string, locale: KbLocale): Promise<TranslationRow> {
  const [row] = await db
    .select()
    .from(kbArticleTranslations)
    .where(and(eq(kbArticleTranslations.articleId, articleId), eq(kbArticleTranslations.locale, locale)))
    .limit(1);
  if (!row) {
    const [article] = await db
      .select({ id: kbArticles.id })
      .from(kbArticles)
      .where(eq(kbArticles.id, articleId))
      .limit(1);
    throw article ? kbTranslationNotFound(locale) : kbArticleNotFound();
  }
  return row;
}

export async function listVersions(db: DbOrTx, articleId: string, locale: KbLocale): Promise<KbArticleVersion[]> {
  const translation = await findTranslation(db, articleId, locale);
  const rows = await db
    .select()
    .from(kbArticleVersions)
    .where(eq(kbArticleVersions.translationId, translation.id))
    .orderBy(desc(kbArticleVersions.version));
  const names = await staffNames(
    db,
    rows.map((r) => r.createdById),
  );
  return rows.map((r) => ({
    version: r.version,
    title: r.title,
    bodyHtml: r.bodyHtml,
    status: r.status as KbArticleStatus,
    restoredFrom: r.restoredFrom,
    createdBy: r.createdById ? { id: r.createdById, name: names.get(r.createdById) ?? '' } : null,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Restoring copies an old version's text into a new version; the status stays as it is. */
export async function restoreVersion(
  tx: DbOrTx,
  input: { actor: Actor; articleId: string; locale: KbLocale; version: number; now: Date },
): Promise<KbArticle> {
  const { actor, articleId, locale, version, now } = input;
  const current = await findTranslation(tx, articleId, locale);
  if (current.status === 'published' && !isEditor(actor)) throw kbNeedsEditor();
  const [old] = await tx
    .select()
    .from(kbArticleVersions)
    .where(and(eq(kbArticleVersions.translationId, current.id), eq(kbArticleVersions.version, version)))
    .limit(1);
  if (!old) throw kbVersionNotFound(version);
  const columns = contentColumns({
    title: old.title,
    body: old.bodySource,
    format: old.sourceFormat as BodyFormat,
    summary: old.summary,
    slug: current.slug,
  });
  const [saved] = await tx
    .update(kbArticleTranslations)
    .set({ ...columns, version: current.version + 1, updatedById: actorId(actor), updatedAt: now })
    .where(and(eq(kbArticleTranslations.id, current.id), eq(kbArticleTranslations.version, current.version)))
    .returning();
  if (!saved) throw kbVersionConflict(current.version);
  await storeVersion(tx, saved, actor, version);
  await recordEvent(tx, {
    type: 'kb_translation.restored',
    actor,
    payload: { articleId, locale, restoredFrom: version, version: saved.version },
    at: now,
  });
  return getArticle(tx, articleId);
}

interface ListCursor {
  updatedAt: string;
  id: string;
}

function encodeCursor(c: ListCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string): ListCursor {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as ListCursor;
    if (
      typeof parsed.updatedAt !== 'string' ||
      typeof parsed.id !== 'string' ||
      Number.isNaN(Date.parse(parsed.updatedAt))
    )
      throw new Error();
    return parsed;
  } catch {
    throw new AppError('BAD_REQUEST', 'The cursor is not valid');
  }
}

/** Staff list of articles, newest change first; filters on locale/status apply to the translations. */
export async function listArticles(
  db: DbOrTx,
  query: KbArticleListQuery,
): Promise<{ items: KbArticleSummary[]; nextCursor: string | null }> {
  const conds = [];
  if (query.visibility) conds.push(eq(kbArticles.visibility, query.visibility));
  if (query.sectionId) conds.push(eq(kbArticles.sectionId, query.sectionId));
  if (query.locale || query.status) {
    const inner = [eq(kbArticleTranslations.articleId, kbArticles.id)];
    if (query.locale) inner.push(eq(kbArticleTranslations.locale, query.locale));
    if (query.status) inner.push(eq(kbArticleTranslations.status, query.status));
    conds.push(sql`EXISTS (SELECT 1 FROM ${kbArticleTranslations} WHERE ${and(...inner)})`);
  }
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    const at = new Date(c.updatedAt);
    conds.push(or(lt(kbArticles.updatedAt, at), and(eq(kbArticles.updatedAt, at), lt(kbArticles.id, c.id))));
  }
  const rows = await db
    .select()
    .from(kbArticles)
    .where(conds.length > 0 ? and(...conds) : undefined)
    .orderBy(desc(kbArticles.updatedAt), desc(kbArticles.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const translations =
    page.length === 0
      ? []
      : await db
          .select({
            articleId: kbArticleTranslations.articleId,
            locale: kbArticleTranslations.locale,
            title: kbArticleTranslations.title,
            slug: kbArticleTranslations.slug,
            status: kbArticleTranslations.status,
            version: kbArticleTranslations.version,
            updatedAt: kbArticleTranslations.updatedAt,
          })
          .from(kbArticleTranslations)
          .where(
            inArray(
              kbArticleTranslations.articleId,
              page.map((r) => r.id),
            ),
          )
          .orderBy(asc(kbArticleTranslations.locale));
  const items = page.map((a) => ({
    id: a.id,
    sectionId: a.sectionId,
    visibility: a.visibility as KbArticleSummary['visibility'],
    translations: translations
      .filter((t) => t.articleId === a.id)
      .map((t) => ({
        locale: t.locale as KbLocale,
        title: t.title,
        slug: t.slug,
        status: t.status as KbArticleStatus,
        version: t.version,
        updatedAt: t.updatedAt.toISOString(),
      })),
    updatedAt: a.updatedAt.toISOString(),
  }));
  const last = page[page.length - 1];
  return {
    items,
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ updatedAt: last.updatedAt.toISOString(), id: last.id }) : null,
  };
}
