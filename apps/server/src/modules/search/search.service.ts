import type { SearchResult, SearchSort, SearchType, TicketSearchHit } from '@seva/contracts';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Tx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import {
  decodeCursor,
  encodeCursor,
  queryTerms,
  searchCustomers,
  toCustomerSummary,
  withSearchSettings,
} from '../customers/index.ts';
import { planTerms, type TermPlan } from './search-terms.ts';
import { buildSnippet } from './snippet.ts';
import {
  countMatches,
  describeTickets,
  estimateMatchingTickets,
  findTicketIdByNumber,
  type RankedRow,
  rankAllMatches,
  recentMatches,
  scopeFor,
  scoreTickets,
  type TicketHitRow,
  WALK_BUDGET,
  type WalkBudget,
} from './ticket-search.repository.ts';

export interface SearchOptions {
  actor: Actor;
  q: string;
  type: SearchType;
  sort?: SearchSort | undefined;
  limit: number;
  cursor?: string | undefined;
  /** tests only: smaller thresholds, so the common-word paths run on a few rows */
  tuning?: Partial<SearchTuning> | undefined;
}

export interface SearchTuning {
  exactRankingCap: number;
  minWindow: number;
  walkBudget: WalkBudget;
}

/**
 * Up to this many matching subjects and this many matching messages, every match is scored and the order is exact.
 * Past it (a common word) tickets are walked newest first instead: by recency exactly, or by relevance within
 * consecutive windows of the newest matches (see `windowSize`). A page or window holds fewer when the walk's budget
 * (WALK_BUDGET) runs out first — a word common long ago but rare lately — and its cursor goes on where the walk
 * stopped, so a page may even be empty and still have a next one; every match is still reached once.
 */
export const EXACT_RANKING_CAP = 5000;
/** A relevance window holds at least this many tickets, a whole number of pages. */
export const MIN_WINDOW = 200;

export function windowSize(limit: number, minWindow = MIN_WINDOW): number {
  return limit * Math.ceil(minWindow / limit);
}

/**
 * The ticket side of a cursor: `s` score keyset over exactly ranked matches, `r` recency keyset, `w` a relevance
 * window of common-word matches (its start as a recency keyset, null for the newest, and the offset in the window).
 */
export type TicketCursor = ['s', number, string] | ['r', string, string] | ['w', string | null, string | null, number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
const isTimeKey = (v: unknown): v is string => typeof v === 'string' && TIME_KEY.test(v);

export function isTicketCursor(v: unknown): v is TicketCursor {
  if (!Array.isArray(v)) return false;
  if (v[0] === 's') return v.length === 3 && typeof v[1] === 'number' && Number.isFinite(v[1]) && isUuid(v[2]);
  if (v[0] === 'r') return v.length === 3 && isTimeKey(v[1]) && isUuid(v[2]);
  if (v[0] === 'w') {
    const start = (v[1] === null && v[2] === null) || (isTimeKey(v[1]) && isUuid(v[2]));
    return v.length === 4 && start && Number.isInteger(v[3]) && (v[3] as number) >= 0 && (v[3] as number) < 100_000;
  }
  return false;
}

/** One cursor for both lists: each side's own cursor, or null once that side is exhausted. */
interface CombinedCursor {
  t: string | null;
  c: string | null;
}

function isCombined(v: unknown): v is CombinedCursor {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (o.t === null || typeof o.t === 'string') && (o.c === null || typeof o.c === 'string');
}

interface TicketPage {
  rows: TicketHitRow[];
  next: TicketCursor | null;
  total: SearchResult['ticketTotal'];
}

interface TicketSearch {
  actor: Actor;
  plans: TermPlan[];
  numberTerm: number | null;
  sort: SearchSort;
  limit: number;
  cursor: TicketCursor | null;
  tuning: SearchTuning;
}

/** Every match scored: one page by score or recency. */
async function exactPage(tx: Tx, s: TicketSearch): Promise<TicketPage> {
  const order =
    s.sort === 'recent'
      ? {
          by: 'recent' as const,
          after: s.cursor?.[0] === 'r' ? ([s.cursor[1], s.cursor[2]] as [string, string]) : null,
        }
      : {
          by: 'relevance' as const,
          after: s.cursor?.[0] === 's' ? ([s.cursor[1], s.cursor[2]] as [number, string]) : null,
        };
  const { rows, total } = await rankAllMatches(tx, {
    plans: s.plans,
    scope: scopeFor(s.actor),
    actor: s.actor,
    numberTerm: s.numberTerm,
    order,
    limit: s.limit + 1,
  });
  const page = rows.slice(0, s.limit);
  const last = page[page.length - 1];
  let next: TicketCursor | null = null;
  if (rows.length > s.limit && last) {
    next = s.sort === 'recent' ? ['r', last.updated_key, last.id] : ['s', last.score, last.id];
  }
  return { rows: page, next, total: s.cursor ? undefined : { count: total, exact: true } };
}

/** A common word, newest first: walk the tickets by recency and score only the page. */
async function recentPage(tx: Tx, s: TicketSearch): Promise<TicketPage> {
  const after = s.cursor?.[0] === 'r' ? ([s.cursor[1], s.cursor[2]] as [string, string]) : null;
  const found = await recentMatches(tx, { plans: s.plans, after, limit: s.limit + 1, budget: s.tuning.walkBudget });
  const page = found.rows.slice(0, s.limit);
  const scored = new Map(
    (await scoreTickets(tx, { plans: s.plans, ids: page.map((r) => r.id), numberTerm: null })).map((r) => [r.id, r]),
  );
  const ranked = page.map((r) => scored.get(r.id)).filter((r): r is RankedRow => r !== undefined);
  const last = page[page.length - 1];
  return {
    rows: await describeTickets(tx, ranked),
    // a page cut short by the walk's budget goes on where the walk stopped (it may even be empty)
    next:
      found.rows.length > s.limit && last
        ? ['r', last.updated_key, last.id]
        : found.resume
          ? ['r', found.resume[0], found.resume[1]]
          : null,
    total: s.cursor ? undefined : { count: await estimateMatchingTickets(tx, s.plans), exact: false },
  };
}

/**
 * A common word by relevance: the newest `windowSize` matches are scored and paged best first, then the next older
 * window, and so on — every match is reached, none twice; the best of the recent matches come first.
 */
async function windowPage(tx: Tx, s: TicketSearch): Promise<TicketPage> {
  const size = windowSize(s.limit, s.tuning.minWindow);
  const start =
    s.cursor?.[0] === 'w' && s.cursor[1] !== null && s.cursor[2] !== null
      ? ([s.cursor[1], s.cursor[2]] as [string, string])
      : null;
  const offset = s.cursor?.[0] === 'w' ? s.cursor[3] : 0;
  // the ticket whose number is the query joins the first window (and is left out of later ones)
  const numbered = s.numberTerm !== null ? await findTicketIdByNumber(tx, s.numberTerm) : null;
  const window = await recentMatches(tx, {
    plans: s.plans,
    after: start,
    limit: size,
    excludeId: start ? numbered : null,
    budget: s.tuning.walkBudget,
  });
  const ids = window.rows.map((r) => r.id);
  if (!start && numbered && !ids.includes(numbered)) ids.push(numbered);
  const scored = (await scoreTickets(tx, { plans: s.plans, ids, numberTerm: start ? null : s.numberTerm })).sort(
    (a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const page = scored.slice(offset, offset + s.limit);
  const oldest = window.rows[window.rows.length - 1];
  let next: TicketCursor | null = null;
  if (offset + s.limit < scored.length) next = ['w', start?.[0] ?? null, start?.[1] ?? null, offset + s.limit];
  else if (window.rows.length === size && oldest) next = ['w', oldest.updated_key, oldest.id, 0];
  // a window cut short by the walk's budget: the next one starts where the walk stopped
  else if (window.resume) next = ['w', window.resume[0], window.resume[1], 0];
  return {
    rows: await describeTickets(tx, page),
    next,
    total: s.cursor ? undefined : { count: await estimateMatchingTickets(tx, s.plans), exact: false },
  };
}

async function searchTickets(tx: Tx, s: TicketSearch): Promise<TicketPage> {
  const kind = s.cursor?.[0];
  if (kind === 'w') return windowPage(tx, s);
  if (kind === 's' || scopeFor(s.actor).kind !== 'all') return exactPage(tx, s);
  const cap = s.tuning.exactRankingCap;
  // far above the cap by the planner's statistics: common, without reading a posting list
  if ((await estimateMatchingTickets(tx, s.plans)) >= cap * 10) {
    return s.sort === 'recent' ? recentPage(tx, s) : windowPage(tx, s);
  }
  const counts = await countMatches(tx, s.plans, cap);
  const common = counts.subjects >= cap || counts.messages >= cap;
  if (!common) return exactPage(tx, s);
  return s.sort === 'recent' ? recentPage(tx, s) : windowPage(tx, s);
}

/**
 * Searches tickets (subject and every message, internal notes included — all searchers are staff) and customers.
 * Collaborators only find tickets they can see and customers of those tickets. Every page holds up to `limit` of
 * each kind; no result caps beyond paging.
 */
export async function search(deps: Pick<Deps, 'db'>, opts: SearchOptions): Promise<SearchResult> {
  const terms = queryTerms(opts.q);
  if (terms.length === 0) return { tickets: [], customers: [], nextCursor: null };
  const combined = decodeCursor(opts.cursor, isCombined);
  const wantTickets = opts.type !== 'customers' && (!combined || combined.t !== null);
  const wantCustomers = opts.type !== 'tickets' && (!combined || combined.c !== null);
  const ticketCursor = combined?.t ? decodeCursor(combined.t, isTicketCursor) : null;

  return withSearchSettings(deps.db, async (tx) => {
    let tickets: TicketSearchHit[] = [];
    let nextTickets: string | null = null;
    let ticketTotal: SearchResult['ticketTotal'];
    if (wantTickets) {
      const numberTerm = terms.length === 1 && /^\d{1,15}$/.test(terms[0] ?? '') ? Number(terms[0]) : null;
      const found = await searchTickets(tx, {
        actor: opts.actor,
        plans: await planTerms(tx, terms),
        numberTerm,
        sort: opts.sort ?? 'relevance',
        limit: opts.limit,
        cursor: ticketCursor,
        tuning: { exactRankingCap: EXACT_RANKING_CAP, minWindow: MIN_WINDOW, walkBudget: WALK_BUDGET, ...opts.tuning },
      });
      tickets = found.rows.map((r) => ({
        id: r.id,
        number: Number(r.number),
        subject: r.subject,
        status: r.status as TicketSearchHit['status'],
        priority: r.priority as TicketSearchHit['priority'],
        customer: { id: r.customer_id, name: r.customer_name },
        updatedAt: new Date(r.updated_at).toISOString(),
        snippet: buildSnippet(r.body ?? r.subject, { terms }),
        matchedIn: r.source,
        score: r.score,
      }));
      nextTickets = found.next ? encodeCursor(found.next) : null;
      ticketTotal = found.total;
    }
    let customers: SearchResult['customers'] = [];
    let nextCustomers: string | null = null;
    if (wantCustomers) {
      const found = await searchCustomers(tx, {
        actor: opts.actor,
        q: opts.q,
        limit: opts.limit,
        cursor: combined?.c ?? undefined,
      });
      customers = found.items.map((r) => ({ ...toCustomerSummary(r), score: r.score }));
      nextCustomers = found.nextCursor;
    }
    const nextCursor =
      nextTickets === null && nextCustomers === null
        ? null
        : encodeCursor({ t: nextTickets, c: nextCustomers } satisfies CombinedCursor);
    return ticketTotal ? { tickets, customers, nextCursor, ticketTotal } : { tickets, customers, nextCursor };
  });
}
