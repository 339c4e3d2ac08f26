import {
  CreateKbArticleBody,
  CreateKbCategoryBody,
  CreateKbSectionBody,
  KbArticle,
  KbArticleListQuery,
  KbArticleSummary,
  KbArticleVersion,
  KbCategory,
  KbDeflectionRow,
  KbImportResult,
  KbLocale,
  KbSearchHit,
  KbSearchQuery,
  KbSearchResult,
  KbSection,
  KbSettings,
  SaveKbTranslationBody,
  UpdateKbArticleBody,
  UpdateKbCategoryBody,
  UpdateKbSectionBody,
  UpdateKbSettingsBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { AppError } from '../../platform/errors.ts';
import { articleForReply, suggestForTicket } from './kb-agent.service.ts';
import {
  createArticle,
  deleteArticle,
  getArticle,
  listArticles,
  listVersions,
  restoreVersion,
  saveTranslation,
  updateArticle,
} from './kb-articles.service.ts';
import {
  createCategory,
  createSection,
  deleteCategory,
  deleteSection,
  listCategories,
  listSections,
  updateCategory,
  updateSection,
} from './kb-categories.service.ts';
import { deflectionReport } from './kb-deflection.service.ts';
import { exportArticles, importArticles, parseImportFile, toMarkdownFiles } from './kb-import.service.ts';
import { kbContentGaps } from './kb-reports.service.ts';
import { searchKb } from './kb-search.service.ts';
import { getKbSettings, updateKbSettings } from './kb-settings.service.ts';

const IdParams = z.object({ id: z.uuid() });
const TranslationParams = z.object({ id: z.uuid(), locale: KbLocale });
const VersionParams = TranslationParams.extend({ version: z.coerce.number().int().min(1) });
const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** Staff API for the knowledge base, under /api/v1/kb. Reading (including internal articles) needs tickets:read. */
export async function kbRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = app;
  const tags = ['knowledge base'];

  // ---- categories and sections ----
  r.get(
    '/kb/categories',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: 'Knowledge-base categories',
        response: { 200: z.object({ items: z.array(KbCategory) }) },
      },
    },
    async () => ({ items: await listCategories(deps.db) }),
  );

  r.post(
    '/kb/categories',
    {
      config: { policy: 'categories:manage' },
      schema: { tags, summary: 'Create a category', body: CreateKbCategoryBody, response: { 201: KbCategory } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      reply.status(201);
      return deps.db.transaction((tx) => createCategory(tx, { actor, body: req.body, now: deps.clock.now() }));
    },
  );

  r.patch(
    '/kb/categories/:id',
    {
      config: { policy: 'categories:manage' },
      schema: {
        tags,
        summary: 'Change a category',
        params: IdParams,
        body: UpdateKbCategoryBody,
        response: { 200: KbCategory },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return deps.db.transaction((tx) =>
        updateCategory(tx, { actor, id: req.params.id, body: req.body, now: deps.clock.now() }),
      );
    },
  );

  r.delete(
    '/kb/categories/:id',
    {
      config: { policy: 'categories:manage' },
      schema: {
        tags,
        summary: 'Delete a category and its sections (articles stay, without a section)',
        params: IdParams,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      await deps.db.transaction((tx) => deleteCategory(tx, { actor, id: req.params.id, now: deps.clock.now() }));
      return reply.status(204).send();
    },
  );

  r.get(
    '/kb/sections',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: 'Knowledge-base sections',
        querystring: z.object({ categoryId: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(KbSection) }) },
      },
    },
    async (req) => ({ items: await listSections(deps.db, req.query.categoryId) }),
  );

  r.post(
    '/kb/sections',
    {
      config: { policy: 'categories:manage' },
      schema: { tags, summary: 'Create a section', body: CreateKbSectionBody, response: { 201: KbSection } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      reply.status(201);
      return deps.db.transaction((tx) => createSection(tx, { actor, body: req.body, now: deps.clock.now() }));
    },
  );

  r.patch(
    '/kb/sections/:id',
    {
      config: { policy: 'categories:manage' },
      schema: {
        tags,
        summary: 'Change a section',
        params: IdParams,
        body: UpdateKbSectionBody,
        response: { 200: KbSection },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return deps.db.transaction((tx) =>
        updateSection(tx, { actor, id: req.params.id, body: req.body, now: deps.clock.now() }),
      );
    },
  );

  r.delete(
    '/kb/sections/:id',
    {
      config: { policy: 'categories:manage' },
      schema: { tags, summary: 'Delete a section (its articles stay, without a section)', params: IdParams },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      await deps.db.transaction((tx) => deleteSection(tx, { actor, id: req.params.id, now: deps.clock.now() }));
      return reply.status(204).send();
    },
  );

  // ---- articles ----
  r.get(
    '/kb/articles',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: 'Articles, most recently changed first',
        querystring: KbArticleListQuery,
        response: { 200: z.object({ items: z.array(KbArticleSummary), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listArticles(deps.db, req.query),
  );

  r.post(
    '/kb/articles',
    {
      config: { policy: 'tickets:reply' },
      schema: {
        tags,
        summary: 'Create an article with its first translation (body as Markdown or HTML: see `format`)',
        description: 'Agents (tickets:reply) create drafts and in-review articles; publishing needs categories:manage.',
        body: CreateKbArticleBody,
        response: { 201: KbArticle },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      reply.status(201);
      return deps.db.transaction((tx) => createArticle(tx, { actor, body: req.body, now: deps.clock.now() }));
    },
  );

  r.get(
    '/kb/articles/:id',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: 'One article with all its translations',
        params: IdParams,
        response: { 200: KbArticle },
      },
    },
    async (req) => getArticle(deps.db, req.params.id),
  );

  r.patch(
    '/kb/articles/:id',
    {
      config: { policy: 'categories:manage' },
      schema: {
        tags,
        summary: 'Change visibility, section, tags or position',
        params: IdParams,
        body: UpdateKbArticleBody,
        response: { 200: KbArticle },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return deps.db.transaction((tx) =>
        updateArticle(tx, { actor, articleId: req.params.id, changes: req.body, now: deps.clock.now() }),
      );
    },
  );

  r.delete(
    '/kb/articles/:id',
    {
      config: { policy: 'categories:manage' },
      schema: { tags, summary: 'Delete an article and all its translations', params: IdParams },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      await deps.db.transaction((tx) => deleteArticle(tx, { actor, articleId: req.params.id, now: deps.clock.now() }));
      return reply.status(204).send();
    },
  );

  r.put(
    '/kb/articles/:id/translations/:locale',
    {
      config: { policy: 'tickets:reply' },
      schema: {
        tags,
        summary: 'Create or save a translation (every save is a new version)',
        description:
          'Send baseVersion to refuse overwriting a newer save (409). Publishing or editing a published translation needs categories:manage.',
        params: TranslationParams,
        body: SaveKbTranslationBody,
        response: { 200: KbArticle },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return deps.db.transaction((tx) =>
        saveTranslation(tx, {
          actor,
          articleId: req.params.id,
          locale: req.params.locale,
          body: req.body,
          now: deps.clock.now(),
        }),
      );
    },
  );

  r.get(
    '/kb/articles/:id/translations/:locale/versions',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: 'Version history, newest first',
        params: TranslationParams,
        response: { 200: z.object({ items: z.array(KbArticleVersion) }) },
      },
    },
    async (req) => ({ items: await listVersions(deps.db, req.params.id, req.params.locale) }),
  );

  r.post(
    '/kb/articles/:id/translations/:locale/versions/:version/restore',
    {
      config: { policy: 'tickets:reply' },
      schema: {
        tags,
        summary: 'Restore an old version (creates a new version)',
        params: VersionParams,
        response: { 200: KbArticle },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return deps.db.transaction((tx) =>
        restoreVersion(tx, {
          actor,
          articleId: req.params.id,
          locale: req.params.locale,
          version: req.params.version,
          now: deps.clock.now(),
        }),
      );
    },
  );

  // ---- agent helpers ----
  r.get(
    '/kb/suggestions',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary:
          "Articles that may answer a ticket (its subject and the customer's first messages, in the ticket's language)",
        querystring: z.object({
          ticketId: z.string().min(1).max(64),
          limit: z.coerce.number().int().min(1).max(20).default(5),
        }),
        response: { 200: z.object({ locale: KbLocale.nullable(), query: z.string(), items: z.array(KbSearchHit) }) },
      },
    },
    async (req) =>
      suggestForTicket(deps.db, { actor: requireActor(req), ticketRef: req.query.ticketId, limit: req.query.limit }),
  );

  r.get(
    '/kb/articles/:id/for-reply',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: "An article's title, public link and text for a reply, in the customer's language when translated",
        params: IdParams,
        querystring: z.object({ locale: KbLocale.default('en') }),
        response: {
          200: z.object({
            articleId: z.uuid(),
            locale: KbLocale,
            title: z.string(),
            url: z.string().nullable(),
            text: z.string(),
            html: z.string(),
          }),
        },
      },
    },
    async (req) => articleForReply(deps.db, { articleId: req.params.id, locale: req.query.locale }),
  );

  // ---- search, reports ----
  r.get(
    '/kb/search',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary:
          'Search every article a staff member may read (internal and customers-only included; archived left out)',
        querystring: KbSearchQuery,
        response: { 200: KbSearchResult },
      },
    },
    async (req) => {
      const { searchId, items } = await searchKb(deps.db, {
        query: req.query.q,
        locale: req.query.locale,
        audience: 'staff',
        limit: req.query.limit,
        logSource: 'staff',
        now: deps.clock.now(),
      });
      return { query: req.query.q, locale: req.query.locale ?? null, searchId, items };
    },
  );

  r.get(
    '/kb/reports/content-gaps',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: 'Searches that found nothing, per language (help centre, widget and API), most frequent first',
        querystring: z.object({
          days: z.coerce.number().int().min(1).max(365).default(30),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                query: z.string(),
                locale: z.string().nullable(),
                count: z.number().int(),
                lastAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      items: await kbContentGaps(deps.db, { days: req.query.days, limit: req.query.limit, now: deps.clock.now() }),
    }),
  );

  r.get(
    '/kb/reports/deflection',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary:
          'Deflection per language and channel: sessions shown suggestions, articles opened, contacts submitted or abandoned',
        querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }),
        response: { 200: z.object({ items: z.array(KbDeflectionRow) }) },
      },
    },
    async (req) => ({ items: await deflectionReport(deps.db, { days: req.query.days, now: deps.clock.now() }) }),
  );

  // ---- settings ----
  r.get(
    '/kb/settings',
    {
      config: { policy: 'tickets:read' },
      schema: { tags, summary: 'Help-centre branding', response: { 200: KbSettings } },
    },
    async () => getKbSettings(deps.db),
  );

  r.patch(
    '/kb/settings',
    {
      config: { policy: 'categories:manage' },
      schema: {
        tags,
        summary: 'Change help-centre branding',
        body: UpdateKbSettingsBody,
        response: { 200: KbSettings },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return deps.db.transaction((tx) => updateKbSettings(tx, { actor, changes: req.body, now: deps.clock.now() }));
    },
  );

  // ---- import / export ----
  r.post(
    '/kb/import',
    {
      config: { policy: 'categories:manage' },
      schema: {
        tags,
        summary:
          'Import articles: JSON { items: KbImportItem[] } (or a bare array), or multipart .md/.html files (field "files")',
        consumes: ['application/json', 'multipart/form-data'],
        response: { 200: KbImportResult },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const items: Array<{ name: string | null; raw: unknown }> = [];
      if (req.isMultipart()) {
        for await (const part of req.files({ limits: { fileSize: MAX_IMPORT_BYTES, files: 50 } })) {
          const buffer = await part.toBuffer();
          if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', `${part.filename} is larger than 2 MB`);
          const defaults = {
            locale: fieldValue(part.fields.locale),
            status: fieldValue(part.fields.status),
            visibility: fieldValue(part.fields.visibility),
          };
          try {
            const parsed = parseImportFile(part.filename, buffer.toString('utf8'));
            items.push({ name: part.filename, raw: { ...stripUndefined(defaults), ...parsed } });
          } catch (err) {
            items.push({ name: part.filename, raw: { error: err instanceof Error ? err.message : 'unreadable' } });
          }
        }
      } else {
        const body = req.body as unknown;
        const list = Array.isArray(body) ? body : (body as { items?: unknown } | null)?.items;
        if (!Array.isArray(list)) throw new AppError('BAD_REQUEST', 'Send { items: [...] } or multipart files');
        if (list.length > 500) throw new AppError('PAYLOAD_TOO_LARGE', 'At most 500 articles per import');
        for (const raw of list)
          items.push({
            name: typeof (raw as { title?: unknown })?.title === 'string' ? (raw as { title: string }).title : null,
            raw,
          });
      }
      return importArticles(deps.db, { actor, items, now: deps.clock.now() });
    },
  );

  r.get(
    '/kb/export',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary:
          'Export every article: format=json (structured) or format=markdown (one file per translation, with front matter)',
        querystring: z.object({ format: z.enum(['json', 'markdown']).default('json'), locale: KbLocale.optional() }),
      },
    },
    async (req, reply) => {
      const articles = await exportArticles(deps.db, { locale: req.query.locale });
      reply.header(
        'content-disposition',
        `attachment; filename="kb-export.${req.query.format === 'json' ? 'json' : 'markdown.json'}"`,
      );
      reply.header('cache-control', 'no-store');
      if (req.query.format === 'markdown') return { files: toMarkdownFiles(articles) };
      return { exportedAt: deps.clock.now().toISOString(), articles };
    },
  );
}

function fieldValue(field: unknown): string | undefined {
  const f = Array.isArray(field) ? field[0] : field;
  if (f && typeof f === 'object' && 'value' in f && typeof (f as { value: unknown }).value === 'string')
    return (f as { value: string }).value;
  return undefined;
}

function stripUndefined(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
}
