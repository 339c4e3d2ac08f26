import { KB_LOCALES, type KbDeflectionEventBody, type KbLocale, type KbSearchHit } from '@seva/contracts';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { kbSearchQueries } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import {
  countView,
  hashIp,
  type PublicArticle,
  publicArticle,
  recordFeedback,
  recordSearchClick,
} from './help.service.ts';
import { articlePath } from './help-pages.ts';
import { recordDeflectionEvent } from './kb-deflection.service.ts';
import { planQuery } from './kb-query.ts';
import { searchKb } from './kb-search.service.ts';

/**
 * The knowledge base as the help widget uses it (the widget module serves it under /widget/v1/kb). Only published
 * translations of public articles are ever returned: search runs with audience `public`, articles come from the
 * help centre's `publicArticle` (the one PUBLIC rule).
 */

/** How long a visitor's typing counts as the same question in the search log. */
const SAME_QUESTION_MS = 2 * 60_000;
/** Per process, like the widget's rate limiters: the visitor's current question → its kb_search_queries row. */
const currentQuestion = new Map<string, { id: number; normalised: string; atMs: number }>();
const MAX_TRACKED = 20_000;

export interface WidgetKbSearchInput {
  query: string;
  /** the visitor's language: its articles come first, then other languages' (romanised Hindi typed in English) */
  locale: KbLocale | null;
  limit: number;
  /** the visitor typing (coalesces the log); null: not logged */
  visitorId: string | null;
  now: Date;
}

export interface WidgetKbSearchOutput {
  items: KbSearchHit[];
  searchId: number | null;
}

/**
 * Search-as-you-type for the widget. The log gets one row per question a visitor types, not one per keystroke:
 * while the new text extends or shortens the visitor's last query (within two minutes), that row is updated.
 */
export async function searchKbForWidget(db: DbOrTx, input: WidgetKbSearchInput): Promise<WidgetKbSearchOutput> {
  const first = await searchKb(db, {
    query: input.query,
    locale: input.locale ?? undefined,
    audience: 'public',
    limit: input.limit,
    logSource: null,
  });
  let items = first.items;
  if (input.locale && items.length < input.limit) {
    const seen = new Set(items.map((h) => h.id));
    const more = await searchKb(db, { query: input.query, audience: 'public', limit: input.limit, logSource: null });
    items = [...items, ...more.items.filter((h) => !seen.has(h.id))].slice(0, input.limit);
  }
  const searchId = input.visitorId
    ? await logQuestion(db, {
        visitorId: input.visitorId,
        query: input.query,
        locale: input.locale,
        resultCount: items.length,
        now: input.now,
      })
    : null;
  return { items, searchId };
}

async function logQuestion(
  db: DbOrTx,
  input: { visitorId: string; query: string; locale: KbLocale | null; resultCount: number; now: Date },
): Promise<number | null> {
  const normalised = planQuery(input.query).normalised.slice(0, 500);
  if (normalised === '') return null;
  const nowMs = input.now.getTime();
  const last = currentQuestion.get(input.visitorId);
  const values = { query: input.query.slice(0, 500), normalised, resultCount: input.resultCount };
  if (
    last &&
    nowMs - last.atMs < SAME_QUESTION_MS &&
    (normalised.startsWith(last.normalised) || last.normalised.startsWith(normalised))
  ) {
    const updated = await db
      .update(kbSearchQueries)
      .set(values)
      .where(and(eq(kbSearchQueries.id, last.id), sql`${kbSearchQueries.clickedArticleId} IS NULL`))
      .returning({ id: kbSearchQueries.id });
    if (updated[0]) {
      remember(input.visitorId, { id: last.id, normalised, atMs: nowMs });
      return last.id;
    }
  }
  const [row] = await db
    .insert(kbSearchQueries)
    .values({ ...values, locale: input.locale, source: 'widget', createdAt: input.now })
    .returning({ id: kbSearchQueries.id });
  if (!row) return null;
  remember(input.visitorId, { id: row.id, normalised, atMs: nowMs });
  return row.id;
}

function remember(visitorId: string, entry: { id: number; normalised: string; atMs: number }): void {
  currentQuestion.delete(visitorId);
  currentQuestion.set(visitorId, entry);
  if (currentQuestion.size > MAX_TRACKED) {
    const oldest = currentQuestion.keys().next().value;
    if (oldest !== undefined) currentQuestion.delete(oldest);
  }
}

export interface WidgetKbArticle {
  article: PublicArticle;
  url: string;
}

/**
 * A public article for the widget in the best language: the one asked for, then the widget's default, English,
 * any other. Counts a view and the click on the search it came from.
 */
export async function openArticleForWidget(
  deps: Deps,
  input: { articleId: string; locales: ReadonlyArray<KbLocale | null>; searchId?: number | undefined },
): Promise<WidgetKbArticle | null> {
  const order = [...new Set([...input.locales.filter((l): l is KbLocale => l !== null), 'en' as const, ...KB_LOCALES])];
  let article: PublicArticle | null = null;
  for (const locale of order) {
    article = await publicArticle(deps.db, input.articleId, locale);
    if (article) break;
  }
  if (!article) return null;
  const now = deps.clock.now();
  await countView(deps.db, article.translationId);
  if (input.searchId) await recordSearchClick(deps.db, input.searchId, article.articleId, now);
  return { article, url: articlePath(article.locale, article.articleId, article.slug) };
}

/**
 * "Was this helpful?" from the widget: one vote per visitor, translation and day (the visitor id, hashed, is the
 * voter key). A helpful vote in a help session also records `article_solved` and `contact_abandoned` for deflection
 * (the visitor stops there; Insights counts such sessions as tickets avoided). Answers whether the vote counted.
 */
export async function rateArticleFromWidget(
  deps: Deps,
  input: { articleId: string; locale: KbLocale; helpful: boolean; visitorId: string; sessionId?: string | undefined },
): Promise<boolean | null> {
  const article = await publicArticle(deps.db, input.articleId, input.locale);
  if (!article) return null;
  const now = deps.clock.now();
  const voter = hashIp(`widget-visitor:${input.visitorId}`, deps.config.secret ?? 'seva-help-feedback');
  return deps.db.transaction(async (tx) => {
    const counted = await recordFeedback(tx, {
      translationId: article.translationId,
      articleId: article.articleId,
      locale: article.locale,
      helpful: input.helpful,
      ipHash: voter,
      now,
    });
    if (input.helpful && input.sessionId) {
      for (const event of ['article_solved', 'contact_abandoned'] as const) {
        await recordDeflectionEvent(tx, {
          body: {
            event,
            sessionId: input.sessionId,
            channel: 'widget',
            locale: article.locale,
            articleId: article.articleId,
          },
          now,
        });
      }
    }
    return counted;
  });
}

/** A deflection report from the widget (channel `widget`). */
export async function recordWidgetDeflection(deps: Deps, body: Omit<KbDeflectionEventBody, 'channel'>): Promise<void> {
  await deps.db.transaction((tx) =>
    recordDeflectionEvent(tx, { body: { ...body, channel: 'widget' }, now: deps.clock.now() }),
  );
}
