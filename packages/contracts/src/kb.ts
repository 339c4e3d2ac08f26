import { z } from 'zod';

/** Knowledge base: categories → sections → articles; one article has en/bn/hi translations. */
export const KB_LOCALES = ['en', 'bn', 'hi'] as const;
export const KbLocale = z.enum(KB_LOCALES);
export type KbLocale = z.infer<typeof KbLocale>;

export const KB_ARTICLE_STATUSES = ['draft', 'in_review', 'published', 'archived'] as const;
export const KbArticleStatus = z.enum(KB_ARTICLE_STATUSES);
export type KbArticleStatus = z.infer<typeof KbArticleStatus>;

/** public: everyone; customers: signed-in customers only; internal: staff only */
export const KB_VISIBILITIES = ['public', 'customers', 'internal'] as const;
export const KbVisibility = z.enum(KB_VISIBILITIES);
export type KbVisibility = z.infer<typeof KbVisibility>;

/** How `body` is written: Markdown (converted on the server) or HTML. Either way it is sanitised before storage. */
export const KbBodyFormat = z.enum(['markdown', 'html']);
export type KbBodyFormat = z.infer<typeof KbBodyFormat>;

const Slug = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*$/u, 'lower-case words joined by hyphens');

const NameTranslations = z
  .partialRecord(
    KbLocale,
    z.object({ name: z.string().trim().min(1).max(200), description: z.string().max(1000).optional() }),
  )
  .default({});

export const KbCategory = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  translations: z.record(z.string(), z.object({ name: z.string(), description: z.string().optional() })),
  position: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type KbCategory = z.infer<typeof KbCategory>;

export const CreateKbCategoryBody = z.object({
  name: z.string().trim().min(1).max(200),
  slug: Slug.optional(),
  description: z.string().max(1000).default(''),
  translations: NameTranslations,
  position: z.number().int().default(0),
});
export type CreateKbCategoryBody = z.infer<typeof CreateKbCategoryBody>;
export const UpdateKbCategoryBody = CreateKbCategoryBody.partial();
export type UpdateKbCategoryBody = z.infer<typeof UpdateKbCategoryBody>;

export const KbSection = KbCategory.extend({ categoryId: z.uuid() });
export type KbSection = z.infer<typeof KbSection>;
export const CreateKbSectionBody = CreateKbCategoryBody.extend({ categoryId: z.uuid() });
export type CreateKbSectionBody = z.infer<typeof CreateKbSectionBody>;
export const UpdateKbSectionBody = CreateKbSectionBody.partial();
export type UpdateKbSectionBody = z.infer<typeof UpdateKbSectionBody>;

export const KbTranslation = z.object({
  id: z.uuid(),
  locale: KbLocale,
  title: z.string(),
  slug: z.string(),
  summary: z.string(),
  /** sanitised HTML */
  bodyHtml: z.string(),
  sourceFormat: KbBodyFormat,
  bodySource: z.string(),
  status: KbArticleStatus,
  version: z.number().int(),
  publishedAt: z.string().nullable(),
  helpfulCount: z.number().int(),
  notHelpfulCount: z.number().int(),
  viewCount: z.number().int(),
  updatedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type KbTranslation = z.infer<typeof KbTranslation>;

export const KbArticle = z.object({
  id: z.uuid(),
  sectionId: z.uuid().nullable(),
  visibility: KbVisibility,
  position: z.number().int(),
  tags: z.array(z.string()),
  translations: z.array(KbTranslation),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type KbArticle = z.infer<typeof KbArticle>;

export const KbArticleSummary = z.object({
  id: z.uuid(),
  sectionId: z.uuid().nullable(),
  visibility: KbVisibility,
  translations: z.array(
    z.object({
      locale: KbLocale,
      title: z.string(),
      slug: z.string(),
      status: KbArticleStatus,
      version: z.number().int(),
      updatedAt: z.string(),
    }),
  ),
  updatedAt: z.string(),
});
export type KbArticleSummary = z.infer<typeof KbArticleSummary>;

/** `POST /api/v1/kb/articles`: a new article with its first translation. */
export const CreateKbArticleBody = z.object({
  title: z.string().trim().min(1).max(300),
  body: z.string().max(500_000),
  format: KbBodyFormat.default('html'),
  locale: KbLocale,
  status: KbArticleStatus.default('draft'),
  visibility: KbVisibility.default('public'),
  sectionId: z.uuid().nullable().optional(),
  summary: z.string().max(500).optional(),
  slug: Slug.optional(),
  tags: z.array(z.string().trim().min(1).max(60)).max(30).default([]),
  position: z.number().int().default(0),
});
export type CreateKbArticleBody = z.infer<typeof CreateKbArticleBody>;

export const UpdateKbArticleBody = z.object({
  visibility: KbVisibility.optional(),
  sectionId: z.uuid().nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(60)).max(30).optional(),
  position: z.number().int().optional(),
});
export type UpdateKbArticleBody = z.infer<typeof UpdateKbArticleBody>;

/** `PUT /api/v1/kb/articles/:id/translations/:locale`: create or save a translation (every save is a version). */
export const SaveKbTranslationBody = z.object({
  title: z.string().trim().min(1).max(300),
  body: z.string().max(500_000),
  format: KbBodyFormat.default('html'),
  status: KbArticleStatus.optional(),
  summary: z.string().max(500).optional(),
  slug: Slug.optional(),
  /** optimistic lock: the version the editor started from; a newer version on the server answers 409 */
  baseVersion: z.number().int().optional(),
});
export type SaveKbTranslationBody = z.infer<typeof SaveKbTranslationBody>;

export const KbArticleVersion = z.object({
  version: z.number().int(),
  title: z.string(),
  bodyHtml: z.string(),
  status: KbArticleStatus,
  restoredFrom: z.number().int().nullable(),
  createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.string(),
});
export type KbArticleVersion = z.infer<typeof KbArticleVersion>;

export const KbArticleListQuery = z.object({
  locale: KbLocale.optional(),
  status: KbArticleStatus.optional(),
  visibility: KbVisibility.optional(),
  sectionId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type KbArticleListQuery = z.infer<typeof KbArticleListQuery>;

export const KbSearchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  locale: KbLocale.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type KbSearchQuery = z.infer<typeof KbSearchQuery>;

export const KbSearchHit = z.object({
  id: z.uuid(),
  locale: KbLocale,
  title: z.string(),
  slug: z.string(),
  url: z.string(),
  /** HTML: the matched text, escaped, with matches wrapped in <mark>…</mark> */
  snippet: z.string(),
  visibility: KbVisibility,
  status: KbArticleStatus,
  score: z.number(),
});
export type KbSearchHit = z.infer<typeof KbSearchHit>;

export const KbSearchResult = z.object({
  query: z.string(),
  locale: KbLocale.nullable(),
  /** id of the query-log row; send it back when the searcher opens a result */
  searchId: z.number().int().nullable(),
  items: z.array(KbSearchHit),
});
export type KbSearchResult = z.infer<typeof KbSearchResult>;

export const KbSettings = z.object({
  title: z.string(),
  logoUrl: z.string().nullable(),
  primaryColour: z.string(),
  contactUrl: z.string().nullable(),
  customDomain: z.string().nullable(),
  defaultLocale: KbLocale,
});
export type KbSettings = z.infer<typeof KbSettings>;

export const UpdateKbSettingsBody = z.object({
  title: z.string().trim().min(1).max(120).optional(),
  logoUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .optional(),
  primaryColour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1f6feb')
    .optional(),
  contactUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .optional(),
  customDomain: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'a host name such as help.example.com')
    .nullable()
    .optional(),
  defaultLocale: KbLocale.optional(),
});
export type UpdateKbSettingsBody = z.infer<typeof UpdateKbSettingsBody>;

export const KbImportItem = z.object({
  title: z.string().trim().min(1).max(300).optional(),
  body: z.string().max(500_000),
  format: KbBodyFormat.default('markdown'),
  locale: KbLocale.default('en'),
  status: KbArticleStatus.default('draft'),
  visibility: KbVisibility.default('public'),
  sectionId: z.uuid().nullable().optional(),
  /** an id from a previous export: imports a translation into that existing article */
  articleId: z.uuid().optional(),
});
export type KbImportItem = z.infer<typeof KbImportItem>;

export const KbImportResult = z.object({
  created: z.array(z.object({ articleId: z.uuid(), locale: KbLocale, title: z.string() })),
  failed: z.array(z.object({ index: z.number().int(), name: z.string().nullable(), message: z.string() })),
});
export type KbImportResult = z.infer<typeof KbImportResult>;

/**
 * Deflection tracking, sent by the widget, the web form and the help centre (no sign-in): one `sessionId` (random,
 * made by the client) ties "suggestions shown" → "article opened" → "contact submitted" or "contact abandoned".
 */
export const KB_DEFLECTION_EVENTS = [
  'suggestions_shown',
  'article_opened',
  /** the visitor said an article answered the question ("this solved it") */
  'article_solved',
  'contact_submitted',
  'contact_abandoned',
] as const;
export const KbDeflectionEventBody = z.object({
  event: z.enum(KB_DEFLECTION_EVENTS),
  sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 letters, digits, - or _'),
  channel: z.enum(['widget', 'web_form', 'help']),
  locale: KbLocale.optional(),
  query: z.string().max(200).optional(),
  articleIds: z.array(z.uuid()).max(20).optional(),
  articleId: z.uuid().optional(),
});
export type KbDeflectionEventBody = z.infer<typeof KbDeflectionEventBody>;

export const KbDeflectionRow = z.object({
  locale: z.string().nullable(),
  channel: z.string(),
  /** sessions in which suggestions were shown */
  sessions: z.number().int(),
  articleOpened: z.number().int(),
  /** sessions in which the visitor said an article solved it */
  articleSolved: z.number().int(),
  contactSubmitted: z.number().int(),
  contactAbandoned: z.number().int(),
  /** sessions shown suggestions that did not submit a contact request, over sessions shown suggestions */
  deflectionRate: z.number(),
});
export type KbDeflectionRow = z.infer<typeof KbDeflectionRow>;

/** "Keep reps informed": internal announcements that staff must acknowledge. */
export const KbAnnouncementStatus = z.enum(['draft', 'published', 'archived']);
export type KbAnnouncementStatus = z.infer<typeof KbAnnouncementStatus>;
export const KbAnnouncementSeverity = z.enum(['info', 'important']);
const StaffRoleName = z.enum(['admin', 'supervisor', 'agent', 'collaborator']);

export const KbAnnouncement = z.object({
  id: z.uuid(),
  title: z.string(),
  bodyHtml: z.string(),
  severity: KbAnnouncementSeverity,
  status: KbAnnouncementStatus,
  audienceRoles: z.array(StaffRoleName),
  articleIds: z.array(z.uuid()),
  macroIds: z.array(z.uuid()),
  ackDueAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  lastRemindedAt: z.string().nullable(),
  /** when the requesting staff member acknowledged it (null: not yet) */
  acknowledgedAt: z.string().nullable(),
  /** true when the requesting staff member is in the audience */
  isForMe: z.boolean(),
  acknowledgedCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type KbAnnouncement = z.infer<typeof KbAnnouncement>;

export const CreateKbAnnouncementBody = z.object({
  title: z.string().trim().min(1).max(300),
  body: z.string().max(100_000),
  format: KbBodyFormat.default('markdown'),
  severity: KbAnnouncementSeverity.default('info'),
  status: KbAnnouncementStatus.default('draft'),
  audienceRoles: z.array(StaffRoleName).max(4).default([]),
  articleIds: z.array(z.uuid()).max(50).default([]),
  macroIds: z.array(z.uuid()).max(50).default([]),
  ackDueAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type CreateKbAnnouncementBody = z.infer<typeof CreateKbAnnouncementBody>;

export const UpdateKbAnnouncementBody = z.object({
  title: z.string().trim().min(1).max(300).optional(),
  body: z.string().max(100_000).optional(),
  format: KbBodyFormat.optional(),
  severity: KbAnnouncementSeverity.optional(),
  status: KbAnnouncementStatus.optional(),
  audienceRoles: z.array(StaffRoleName).max(4).optional(),
  articleIds: z.array(z.uuid()).max(50).optional(),
  macroIds: z.array(z.uuid()).max(50).optional(),
  ackDueAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type UpdateKbAnnouncementBody = z.infer<typeof UpdateKbAnnouncementBody>;

export const KbAnnouncementReceipts = z.object({
  acknowledged: z.array(z.object({ userId: z.uuid(), name: z.string(), acknowledgedAt: z.string() })),
  pending: z.array(z.object({ userId: z.uuid(), name: z.string(), email: z.string() })),
});
export type KbAnnouncementReceipts = z.infer<typeof KbAnnouncementReceipts>;
