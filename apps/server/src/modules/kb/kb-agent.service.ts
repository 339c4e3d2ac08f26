import type { KbLocale, KbSearchHit } from '@seva/contracts';
import { KB_LOCALES } from '@seva/contracts';
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { kbArticles, kbArticleTranslations } from '../../platform/db/schema/index.ts';
import { notFound } from '../../platform/errors.ts';
import { findVisibleTicket, loadMessageDtos } from '../tickets/index.ts';
import { kbArticleNotFound } from './kb.errors.ts';
import { articleUrl, searchKb } from './kb-search.service.ts';

/** Knowledge-base help for agents: suggestions for the ticket they are on, and article text to put in a reply. */
function asLocale(value: string | null | undefined): KbLocale | undefined {
  return value && (KB_LOCALES as readonly string[]).includes(value) ? (value as KbLocale) : undefined;
}

export interface TicketSuggestions {
  locale: KbLocale | null;
  query: string;
  items: KbSearchHit[];
}

/**
 * Articles that may answer a ticket: searched with its subject and the customer's first messages, in the ticket's
 * language first and in every language when that finds nothing. Only tickets the agent may see (else 404).
 */
export async function suggestForTicket(
  db: DbOrTx,
  input: { actor: Actor; ticketRef: string; limit: number },
): Promise<TicketSuggestions> {
  const ticket = await findVisibleTicket(db, input.actor, input.ticketRef);
  if (!ticket) throw notFound('Ticket');
  const messages = await loadMessageDtos(db, { ticketId: ticket.id });
  const fromCustomer = messages
    .filter((m) => m.kind === 'public' && m.authorType === 'customer')
    .slice(0, 2)
    .map((m) => m.bodyText)
    .join(' ');
  const query = `${ticket.subject} ${fromCustomer}`.split(/\s+/).slice(0, 60).join(' ').trim();
  const locale = asLocale(ticket.language);
  if (query === '') return { locale: locale ?? null, query, items: [] };
  const search = (l: KbLocale | undefined) =>
    searchKb(db, { query, locale: l, audience: 'staff', limit: input.limit, logSource: null });
  let { items } = await search(locale);
  if (items.length === 0 && locale) items = (await search(undefined)).items;
  return { locale: locale ?? null, query, items };
}

export interface ArticleForReply {
  articleId: string;
  locale: KbLocale;
  title: string;
  /** the public URL (relative to the help centre) when this translation is public and published, else null */
  url: string | null;
  text: string;
  html: string;
}

/**
 * An article's text for a reply in the customer's language: the requested translation when it exists (published
 * first), else English, else any. Internal articles can be quoted but never get a public link.
 */
export async function articleForReply(
  db: DbOrTx,
  input: { articleId: string; locale: KbLocale },
): Promise<ArticleForReply> {
  const rows = await db
    .select({ t: kbArticleTranslations, visibility: kbArticles.visibility })
    .from(kbArticleTranslations)
    .innerJoin(kbArticles, eq(kbArticles.id, kbArticleTranslations.articleId))
    .where(and(eq(kbArticleTranslations.articleId, input.articleId)));
  const usable = rows.filter((r) => r.t.status !== 'archived');
  if (usable.length === 0) throw kbArticleNotFound();
  const rank = (r: (typeof usable)[number]) =>
    (r.t.locale === input.locale ? 0 : r.t.locale === 'en' ? 2 : 4) + (r.t.status === 'published' ? 0 : 1);
  const best = [...usable].sort((a, b) => rank(a) - rank(b))[0];
  if (!best) throw kbArticleNotFound();
  const isPublic = best.visibility === 'public' && best.t.status === 'published';
  return {
    articleId: input.articleId,
    locale: best.t.locale as KbLocale,
    title: best.t.title,
    url: isPublic ? articleUrl(best.t.locale, input.articleId, best.t.slug) : null,
    text: best.t.bodyText,
    html: best.t.bodyHtml,
  };
}
