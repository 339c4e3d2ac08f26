import { createHash } from 'node:crypto';
import type { KbLocale } from '@seva/contracts';
import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import {
  kbArticles,
  kbArticleTranslations,
  kbCategories,
  kbFeedback,
  kbSearchQueries,
  kbSections,
} from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';

/**
 * Everything the public help centre reads. The one rule: a translation is public only when its article's
 * visibility is `public` and the translation is `published`. Every query here applies PUBLIC below.
 */
const PUBLIC = and(eq(kbArticles.visibility, 'public'), eq(kbArticleTranslations.status, 'published'));

/** Who is reading: anyone (`public`), or a signed-in customer of "my requests" (`customers`, see help-portal-auth.ts). */
export type HelpAudience = 'public' | 'customers';

/** PUBLIC, widened for a signed-in customer to articles of visibility `customers`; internal articles never. */
function visibleTo(audience: HelpAudience) {
  return audience === 'customers'
    ? and(inArray(kbArticles.visibility, ['public', 'customers']), eq(kbArticleTranslations.status, 'published'))
    : PUBLIC;
}

export interface PublicArticleLink {
  articleId: string;
  title: string;
  slug: string;
  sectionId: string | null;
}

export interface PublicSection {
  id: string;
  slug: string;
  name: string;
  description: string;
  categoryId: string;
  articles: PublicArticleLink[];
}

export interface PublicCategory {
  id: string;
  slug: string;
  name: string;
  description: string;
  sections: PublicSection[];
}

type Named = {
  name: string;
  description: string;
  translations: Record<string, { name: string; description?: string }>;
};

function localName(row: Named, locale: KbLocale): { name: string; description: string } {
  const t = row.translations[locale];
  return { name: t?.name ?? row.name, description: t?.description ?? row.description };
}

async function publicArticlesIn(
  db: DbOrTx,
  locale: KbLocale,
  sectionIds: string[],
  audience: HelpAudience,
): Promise<PublicArticleLink[]> {
  if (sectionIds.length === 0) return [];
  return db
    .select({
      articleId: kbArticles.id,
      title: kbArticleTranslations.title,
      slug: kbArticleTranslations.slug,
      sectionId: kbArticles.sectionId,
    })
    .from(kbArticleTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbArticleTranslations.articleId))
    .where(
      and(visibleTo(audience), eq(kbArticleTranslations.locale, locale), inArray(kbArticles.sectionId, sectionIds)),
    )
    .orderBy(asc(kbArticles.position), asc(kbArticleTranslations.title));
}

/**
 * Categories → sections → the audience's articles in one locale (public ones; a signed-in customer also sees
 * `customers` ones); empty sections and categories are left out.
 */
export async function publicTree(
  db: DbOrTx,
  locale: KbLocale,
  opts: { categorySlug?: string; audience?: HelpAudience } = {},
): Promise<PublicCategory[]> {
  const cats = await db
    .select()
    .from(kbCategories)
    .where(opts.categorySlug ? eq(kbCategories.slug, opts.categorySlug) : undefined)
    .orderBy(asc(kbCategories.position), asc(kbCategories.name));
  if (cats.length === 0) return [];
  const sections = await db
    .select()
    .from(kbSections)
    .where(
      inArray(
        kbSections.categoryId,
        cats.map((c) => c.id),
      ),
    )
    .orderBy(asc(kbSections.position), asc(kbSections.name));
  const articles = await publicArticlesIn(
    db,
    locale,
    sections.map((s) => s.id),
    opts.audience ?? 'public',
  );
  return cats
    .map((c) => ({
      id: c.id,
      slug: c.slug,
      ...localName(c, locale),
      sections: sections
        .filter((s) => s.categoryId === c.id)
        .map((s) => ({
          id: s.id,
          slug: s.slug,
          categoryId: s.categoryId,
          ...localName(s, locale),
          articles: articles.filter((a) => a.sectionId === s.id),
        }))
        .filter((s) => s.articles.length > 0),
    }))
    .filter((c) => c.sections.length > 0);
}

/** The audience's articles that are in no section (shown on the home page). */
export async function publicUnsectioned(
  db: DbOrTx,
  locale: KbLocale,
  opts: { audience?: HelpAudience; limit?: number } = {},
): Promise<PublicArticleLink[]> {
  return db
    .select({
      articleId: kbArticles.id,
      title: kbArticleTranslations.title,
      slug: kbArticleTranslations.slug,
      sectionId: kbArticles.sectionId,
    })
    .from(kbArticleTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbArticleTranslations.articleId))
    .where(
      and(visibleTo(opts.audience ?? 'public'), eq(kbArticleTranslations.locale, locale), isNull(kbArticles.sectionId)),
    )
    .orderBy(desc(kbArticleTranslations.publishedAt))
    .limit(opts.limit ?? 20);
}

export async function publicSection(
  db: DbOrTx,
  locale: KbLocale,
  slug: string,
  audience: HelpAudience = 'public',
): Promise<{ section: PublicSection; category: { slug: string; name: string } } | null> {
  const [row] = await db
    .select({ section: kbSections, category: kbCategories })
    .from(kbSections)
    .innerJoin(kbCategories, eq(kbCategories.id, kbSections.categoryId))
    .where(eq(kbSections.slug, slug))
    .limit(1);
  if (!row) return null;
  const articles = await publicArticlesIn(db, locale, [row.section.id], audience);
  return {
    section: {
      id: row.section.id,
      slug: row.section.slug,
      categoryId: row.section.categoryId,
      ...localName(row.section, locale),
      articles,
    },
    category: { slug: row.category.slug, name: localName(row.category, locale).name },
  };
}

export interface PublicArticle {
  articleId: string;
  translationId: string;
  locale: KbLocale;
  title: string;
  slug: string;
  summary: string;
  bodyHtml: string;
  sectionId: string | null;
  updatedAt: Date;
  helpfulCount: number;
  notHelpfulCount: number;
  /** other public translations of the same article (for hreflang and the language switcher) */
  alternates: Array<{ locale: KbLocale; slug: string; title: string }>;
  breadcrumb: { category: { slug: string; name: string } | null; section: { slug: string; name: string } | null };
}

/**
 * A published article translation for the help centre. `customers` (a signed-in customer, see help-portal-auth.ts)
 * also sees articles of visibility `customers`; everyone else only `public` ones. Internal articles never.
 */
export async function publicArticle(
  db: DbOrTx,
  articleId: string,
  locale: KbLocale,
  audience: HelpAudience = 'public',
): Promise<PublicArticle | null> {
  const VISIBLE = visibleTo(audience);
  const [row] = await db
    .select({ t: kbArticleTranslations, sectionId: kbArticles.sectionId })
    .from(kbArticleTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbArticleTranslations.articleId))
    .where(and(VISIBLE, eq(kbArticleTranslations.articleId, articleId), eq(kbArticleTranslations.locale, locale)))
    .limit(1);
  if (!row) return null;
  const alternates = await db
    .select({
      locale: kbArticleTranslations.locale,
      slug: kbArticleTranslations.slug,
      title: kbArticleTranslations.title,
    })
    .from(kbArticleTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbArticleTranslations.articleId))
    .where(and(VISIBLE, eq(kbArticleTranslations.articleId, articleId)))
    .orderBy(asc(kbArticleTranslations.locale));
  let breadcrumb: PublicArticle['breadcrumb'] = { category: null, section: null };
  if (row.sectionId) {
    const [place] = await db
      .select({ section: kbSections, category: kbCategories })
      .from(kbSections)
      .innerJoin(kbCategories, eq(kbCategories.id, kbSections.categoryId))
      .where(eq(kbSections.id, row.sectionId))
      .limit(1);
    if (place) {
      breadcrumb = {
        category: { slug: place.category.slug, name: localName(place.category, locale).name },
        section: { slug: place.section.slug, name: localName(place.section, locale).name },
      };
    }
  }
  const t = row.t;
  return {
    articleId,
    translationId: t.id,
    locale,
    title: t.title,
    slug: t.slug,
    summary: t.summary,
    bodyHtml: t.bodyHtml,
    sectionId: row.sectionId,
    updatedAt: t.updatedAt,
    helpfulCount: t.helpfulCount,
    notHelpfulCount: t.notHelpfulCount,
    alternates: alternates.map((a) => ({ locale: a.locale as KbLocale, slug: a.slug, title: a.title })),
    breadcrumb,
  };
}

/** Other public articles of the same section, most helpful first. */
export async function relatedArticles(db: DbOrTx, article: PublicArticle, limit = 5): Promise<PublicArticleLink[]> {
  if (!article.sectionId) return [];
  return db
    .select({
      articleId: kbArticles.id,
      title: kbArticleTranslations.title,
      slug: kbArticleTranslations.slug,
      sectionId: kbArticles.sectionId,
    })
    .from(kbArticleTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbArticleTranslations.articleId))
    .where(
      and(
        PUBLIC,
        eq(kbArticleTranslations.locale, article.locale),
        eq(kbArticles.sectionId, article.sectionId),
        ne(kbArticles.id, article.articleId),
      ),
    )
    .orderBy(desc(kbArticleTranslations.helpfulCount), asc(kbArticleTranslations.title))
    .limit(limit);
}

export async function countView(db: DbOrTx, translationId: string): Promise<void> {
  await db
    .update(kbArticleTranslations)
    .set({ viewCount: sql`${kbArticleTranslations.viewCount} + 1` })
    .where(eq(kbArticleTranslations.id, translationId));
}

/** Marks the search a visitor came from as clicked (first click wins), for click-through and deflection reports. */
export async function recordSearchClick(db: DbOrTx, searchId: number, articleId: string, now: Date): Promise<void> {
  await db
    .update(kbSearchQueries)
    .set({ clickedArticleId: articleId, clickedAt: now })
    .where(
      and(
        eq(kbSearchQueries.id, searchId),
        isNull(kbSearchQueries.clickedArticleId),
        sql`${kbSearchQueries.createdAt} > ${new Date(now.getTime() - 86_400_000).toISOString()}::timestamptz`,
      ),
    );
}

export function hashIp(ip: string, salt: string): string {
  return createHash('sha256').update(`${salt}:${ip}`).digest('hex').slice(0, 32);
}

/**
 * Counts one "was this helpful?" vote per visitor (hashed IP), translation and day; a repeat vote the same day
 * answers false and changes nothing.
 */
export async function recordFeedback(
  tx: DbOrTx,
  input: { translationId: string; articleId: string; locale: KbLocale; helpful: boolean; ipHash: string; now: Date },
): Promise<boolean> {
  const day = input.now.toISOString().slice(0, 10);
  const inserted = await tx
    .insert(kbFeedback)
    .values({
      translationId: input.translationId,
      isHelpful: input.helpful,
      ipHash: input.ipHash,
      day,
      createdAt: input.now,
    })
    .onConflictDoNothing()
    .returning({ id: kbFeedback.id });
  if (inserted.length === 0) return false;
  await tx
    .update(kbArticleTranslations)
    .set(
      input.helpful
        ? { helpfulCount: sql`${kbArticleTranslations.helpfulCount} + 1` }
        : { notHelpfulCount: sql`${kbArticleTranslations.notHelpfulCount} + 1` },
    )
    .where(eq(kbArticleTranslations.id, input.translationId));
  await recordEvent(tx, {
    type: 'kb_article.rated',
    actor: { kind: 'system' },
    payload: { articleId: input.articleId, locale: input.locale, helpful: input.helpful },
    at: input.now,
  });
  return true;
}

export interface SitemapEntry {
  articleId: string;
  locale: KbLocale;
  slug: string;
  updatedAt: Date;
}

export async function sitemapEntries(db: DbOrTx): Promise<SitemapEntry[]> {
  const rows = await db
    .select({
      articleId: kbArticleTranslations.articleId,
      locale: kbArticleTranslations.locale,
      slug: kbArticleTranslations.slug,
      updatedAt: kbArticleTranslations.updatedAt,
    })
    .from(kbArticleTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbArticleTranslations.articleId))
    .where(PUBLIC)
    .orderBy(asc(kbArticleTranslations.articleId), asc(kbArticleTranslations.locale))
    .limit(50_000);
  return rows.map((r) => ({ ...r, locale: r.locale as KbLocale }));
}
