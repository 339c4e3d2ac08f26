import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers } from './customers.ts';
import { staffUsers } from './staff.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Knowledge-base categories (top level of the help centre). Names per locale in `translations`. */
export const kbCategories = pgTable(
  'kb_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** { bn: { name, description }, hi: { … } } */
    translations: jsonb('translations')
      .$type<Record<string, { name: string; description?: string }>>()
      .notNull()
      .default({}),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kb_categories_slug_key').on(t.slug), index('kb_categories_position_idx').on(t.position)],
);

/** Sections group articles inside a category. */
export const kbSections = pgTable(
  'kb_sections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => kbCategories.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    translations: jsonb('translations')
      .$type<Record<string, { name: string; description?: string }>>()
      .notNull()
      .default({}),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('kb_sections_slug_key').on(t.slug),
    index('kb_sections_category_idx').on(t.categoryId, t.position),
  ],
);

/**
 * An article is the translation group: visibility and place in the tree are shared; the text, status and history
 * live per locale in kb_article_translations.
 */
export const kbArticles = pgTable(
  'kb_articles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sectionId: uuid('section_id').references(() => kbSections.id, { onDelete: 'set null' }),
    /** public | customers | internal */
    visibility: text('visibility').notNull().default('public'),
    position: integer('position').notNull().default(0),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    createdById: uuid('created_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('kb_articles_section_idx').on(t.sectionId, t.position),
    index('kb_articles_visibility_idx').on(t.visibility),
  ],
);

export const kbArticleTranslations = pgTable(
  'kb_article_translations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => kbArticles.id, { onDelete: 'cascade' }),
    /** en | bn | hi */
    locale: text('locale').notNull(),
    title: text('title').notNull(),
    slug: text('slug').notNull(),
    /** meta description; derived from the body when empty */
    summary: text('summary').notNull().default(''),
    /** sanitised HTML, safe to render as is */
    bodyHtml: text('body_html').notNull(),
    bodyText: text('body_text').notNull().default(''),
    /** what the author sent: markdown | html, and the source as sent (for export) */
    sourceFormat: text('source_format').notNull().default('html'),
    bodySource: text('body_source').notNull().default(''),
    /** draft | in_review | published | archived */
    status: text('status').notNull().default('draft'),
    version: integer('version').notNull().default(1),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    updatedById: uuid('updated_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    helpfulCount: integer('helpful_count').notNull().default(0),
    notHelpfulCount: integer('not_helpful_count').notNull().default(0),
    viewCount: integer('view_count').notNull().default(0),
    /** normalised title, body and a romanised form of Bengali/Hindi text (see docs/kb.md) */
    searchTitle: text('search_title').notNull().default(''),
    searchBody: text('search_body').notNull().default(''),
    searchRoman: text('search_roman').notNull().default(''),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector('simple', search_title), 'A') || setweight(to_tsvector('simple', search_body), 'B') || setweight(to_tsvector('simple', search_roman), 'D')`,
    ),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('kb_article_translations_article_locale_key').on(t.articleId, t.locale),
    index('kb_article_translations_status_idx').on(t.locale, t.status, t.updatedAt),
    index('kb_article_translations_search_idx').using('gin', t.searchVector),
    index('kb_article_translations_title_trgm_idx').using('gin', t.searchTitle.op('gin_trgm_ops')),
    index('kb_article_translations_body_trgm_idx').using('gin', t.searchBody.op('gin_trgm_ops')),
    index('kb_article_translations_roman_trgm_idx').using('gin', t.searchRoman.op('gin_trgm_ops')),
  ],
);

/** Every save of a translation stores a version; restoring copies an old version into a new one. */
export const kbArticleVersions = pgTable(
  'kb_article_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    translationId: uuid('translation_id')
      .notNull()
      .references(() => kbArticleTranslations.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    bodyHtml: text('body_html').notNull(),
    sourceFormat: text('source_format').notNull(),
    bodySource: text('body_source').notNull(),
    status: text('status').notNull(),
    /** the version this one was restored from, if any */
    restoredFrom: integer('restored_from'),
    createdById: uuid('created_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kb_article_versions_translation_version_key').on(t.translationId, t.version)],
);

/** Every help-centre search: what was asked, in which language, how many results, which article was opened. */
export const kbSearchQueries = pgTable(
  'kb_search_queries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    query: text('query').notNull(),
    normalised: text('normalised').notNull(),
    locale: text('locale'),
    /** help | api | widget | staff */
    source: text('source').notNull(),
    resultCount: integer('result_count').notNull(),
    clickedArticleId: uuid('clicked_article_id').references(() => kbArticles.id, { onDelete: 'set null' }),
    clickedAt: timestamp('clicked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('kb_search_queries_created_idx').on(t.createdAt),
    index('kb_search_queries_gaps_idx').on(t.locale, t.resultCount, t.createdAt),
  ],
);

/** "Was this helpful?" votes; ip_hash keeps one vote per visitor and translation per day. */
export const kbFeedback = pgTable(
  'kb_feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    translationId: uuid('translation_id')
      .notNull()
      .references(() => kbArticleTranslations.id, { onDelete: 'cascade' }),
    isHelpful: boolean('is_helpful').notNull(),
    ipHash: text('ip_hash').notNull(),
    day: text('day').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kb_feedback_once_key').on(t.translationId, t.ipHash, t.day)],
);

/** One row (id = 1): help-centre branding. */
export const kbSettings = pgTable('kb_settings', {
  id: integer('id').primaryKey().default(1),
  title: text('title').notNull().default('Help Centre'),
  logoUrl: text('logo_url'),
  primaryColour: text('primary_colour').notNull().default('#1f6feb'),
  contactUrl: text('contact_url'),
  customDomain: text('custom_domain'),
  defaultLocale: text('default_locale').notNull().default('en'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** "Keep reps informed": internal announcements of product and policy changes that staff must acknowledge. */
export const kbAnnouncements = pgTable(
  'kb_announcements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    bodyHtml: text('body_html').notNull(),
    bodySource: text('body_source').notNull(),
    sourceFormat: text('source_format').notNull(),
    /** info | important */
    severity: text('severity').notNull().default('info'),
    /** draft | published | archived */
    status: text('status').notNull().default('draft'),
    /** staff roles that must read it; empty = every role */
    audienceRoles: text('audience_roles').array().notNull().default(sql`'{}'::text[]`),
    /** knowledge-base articles and macros this change affects */
    articleIds: uuid('article_ids').array().notNull().default(sql`'{}'::uuid[]`),
    macroIds: uuid('macro_ids').array().notNull().default(sql`'{}'::uuid[]`),
    ackDueAt: timestamp('ack_due_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    lastRemindedAt: timestamp('last_reminded_at', { withTimezone: true }),
    createdById: uuid('created_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('kb_announcements_status_idx').on(t.status, t.publishedAt)],
);

/** Read receipts: one row per staff member who acknowledged an announcement. */
export const kbAnnouncementReceipts = pgTable(
  'kb_announcement_receipts',
  {
    announcementId: uuid('announcement_id')
      .notNull()
      .references(() => kbAnnouncements.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.announcementId, t.userId] }),
    index('kb_announcement_receipts_user_idx').on(t.userId),
  ],
);

/**
 * Customer sessions of the help centre's "my requests" pages (cookie `seva_portal`), apart from staff sessions so
 * that signing out, "sign out everywhere" and staff can revoke them. Only the sha256 of the cookie value is stored.
 */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** sha256 of the cookie value; the raw value is never stored */
    idHash: text('id_hash').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('portal_sessions_id_hash_key').on(t.idHash),
    index('portal_sessions_customer_idx').on(t.customerId),
  ],
);
