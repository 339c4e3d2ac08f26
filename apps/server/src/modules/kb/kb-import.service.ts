import type { KbImportItem, KbImportResult, KbLocale } from '@seva/contracts';
import { KbImportItem as KbImportItemSchema } from '@seva/contracts';
import { asc, inArray } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/client.ts';
import { kbArticles, kbArticleTranslations } from '../../platform/db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { createArticle, saveTranslation } from './kb-articles.service.ts';
import { articleHtmlToText, decodeEntities } from './kb-body.ts';

/**
 * Import and export. Files: Markdown (`.md`, `.markdown`) with optional front matter (`title`, `locale`, `status`,
 * `visibility`, `articleId`, `sectionId`; values plain or JSON-quoted) — the title otherwise comes from the first
 * `# heading`; HTML (`.html`, `.htm`) — the title from <title> or the first <h1>, the body from <body>.
 * Export: JSON (every translation with its source and HTML) or Markdown files with front matter, which import back.
 */
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

function parseFrontMatter(text: string): { meta: Record<string, string>; rest: string } {
  const m = FRONT_MATTER.exec(text);
  if (!m) return { meta: {}, rest: text };
  const meta: Record<string, string> = {};
  for (const line of (m[1] ?? '').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const key = line.slice(0, i).trim();
    let value = line.slice(i + 1).trim();
    if (value.startsWith('"')) {
      try {
        value = String(JSON.parse(value));
      } catch {
        value = value.slice(1, -1);
      }
    }
    meta[key] = value;
  }
  return { meta, rest: text.slice(m[0].length) };
}

function metaFields(meta: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['title', 'locale', 'status', 'visibility', 'articleId', 'sectionId']) {
    const v = meta[key];
    if (v) out[key] = v;
  }
  return out;
}

/** Turns one uploaded file into an import item (still to be validated). */
export function parseImportFile(filename: string, content: string): Record<string, unknown> {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.html') || lower.endsWith('.htm')) {
    const title =
      /<title[^>]*>([\s\S]*?)<\/title>/i.exec(content)?.[1] ??
      /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(content)?.[1] ??
      filename.replace(/\.html?$/i, '');
    const body = /<body[^>]*>([\s\S]*?)<\/body>/i.exec(content)?.[1] ?? content;
    return { title: decodeEntities(articleHtmlToText(title)).trim(), body, format: 'html' };
  }
  if (lower.endsWith('.md') || lower.endsWith('.markdown') || lower.endsWith('.txt')) {
    const { meta, rest } = parseFrontMatter(content);
    let body = rest;
    let title = meta.title;
    if (!title) {
      const h = /^#\s+(.+)$/m.exec(rest);
      if (h) {
        title = (h[1] ?? '').trim();
        body = rest.replace(h[0], '').trimStart();
      }
    }
    return {
      ...metaFields(meta),
      title: title ?? filename.replace(/\.(md|markdown|txt)$/i, ''),
      body,
      format: 'markdown',
    };
  }
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Cannot import ${filename}: use .md, .markdown or .html files`);
}

export interface ImportInput {
  actor: Actor;
  items: Array<{ name: string | null; raw: unknown }>;
  now: Date;
}

/** Imports each item in its own transaction: one bad file never stops the rest. */
export async function importArticles(db: Db, input: ImportInput): Promise<KbImportResult> {
  const result: KbImportResult = { created: [], failed: [] };
  for (const [index, { name, raw }] of input.items.entries()) {
    const parsed = KbImportItemSchema.safeParse(raw);
    if (!parsed.success) {
      result.failed.push({
        index,
        name,
        message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      });
      continue;
    }
    const item: KbImportItem = parsed.data;
    const title = item.title ?? name ?? 'Untitled';
    try {
      const article = await db.transaction(async (tx) => {
        if (item.articleId) {
          return saveTranslation(tx, {
            actor: input.actor,
            articleId: item.articleId,
            locale: item.locale,
            body: { title, body: item.body, format: item.format, status: item.status },
            now: input.now,
          });
        }
        return createArticle(tx, {
          actor: input.actor,
          body: {
            title,
            body: item.body,
            format: item.format,
            locale: item.locale,
            status: item.status,
            visibility: item.visibility,
            sectionId: item.sectionId ?? null,
            tags: [],
            position: 0,
          },
          now: input.now,
        });
      });
      result.created.push({ articleId: article.id, locale: item.locale, title });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      result.failed.push({ index, name, message: err.message });
    }
  }
  return result;
}

export interface ExportedTranslation {
  locale: KbLocale;
  title: string;
  slug: string;
  summary: string;
  status: string;
  format: string;
  body: string;
  bodyHtml: string;
  version: number;
  updatedAt: string;
}

export interface ExportedArticle {
  articleId: string;
  sectionId: string | null;
  visibility: string;
  tags: string[];
  translations: ExportedTranslation[];
}

export async function exportArticles(db: Db, opts: { locale?: KbLocale | undefined }): Promise<ExportedArticle[]> {
  const articles = await db.select().from(kbArticles).orderBy(asc(kbArticles.createdAt), asc(kbArticles.id));
  if (articles.length === 0) return [];
  const translations = await db
    .select()
    .from(kbArticleTranslations)
    .where(
      inArray(
        kbArticleTranslations.articleId,
        articles.map((a) => a.id),
      ),
    )
    .orderBy(asc(kbArticleTranslations.locale));
  return articles
    .map((a) => ({
      articleId: a.id,
      sectionId: a.sectionId,
      visibility: a.visibility,
      tags: a.tags,
      translations: translations
        .filter((t) => t.articleId === a.id && (!opts.locale || t.locale === opts.locale))
        .map((t) => ({
          locale: t.locale as KbLocale,
          title: t.title,
          slug: t.slug,
          summary: t.summary,
          status: t.status,
          format: t.sourceFormat,
          body: t.bodySource,
          bodyHtml: t.bodyHtml,
          version: t.version,
          updatedAt: t.updatedAt.toISOString(),
        })),
    }))
    .filter((a) => a.translations.length > 0);
}

/** One Markdown file per translation, with front matter that imports back into the same article. */
export function toMarkdownFiles(articles: ExportedArticle[]): Array<{ path: string; content: string }> {
  return articles.flatMap((a) =>
    a.translations.map((t) => {
      const meta = [
        ['articleId', a.articleId],
        ['locale', t.locale],
        ['title', t.title],
        ['status', t.status],
        ['visibility', a.visibility],
        ...(a.sectionId ? [['sectionId', a.sectionId]] : []),
      ]
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join('\n');
      const body = t.format === 'markdown' ? t.body : t.bodyHtml;
      return { path: `${a.articleId}/${t.locale}.md`, content: `---\n${meta}\n---\n${body.trim()}\n` };
    }),
  );
}
