import type { SearchResult, SearchType, TicketSearchHit } from '@seva/contracts';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Deps } from '../../platform/deps.ts';
import {
  decodeCursor,
  encodeCursor,
  isScoreIdCursor,
  queryTerms,
  searchCustomers,
  toCustomerSummary,
  withSearchSettings,
} from '../customers/index.ts';
import { buildSnippet } from './snippet.ts';
import { findTickets } from './ticket-search.repository.ts';

export interface SearchOptions {
  actor: Actor;
  q: string;
  type: SearchType;
  limit: number;
  cursor?: string | undefined;
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
  const ticketAfter = combined?.t ? decodeCursor(combined.t, isScoreIdCursor) : null;

  return withSearchSettings(deps.db, async (tx) => {
    let tickets: TicketSearchHit[] = [];
    let nextTickets: string | null = null;
    if (wantTickets) {
      const found = await findTickets(tx, { actor: opts.actor, terms, limit: opts.limit, after: ticketAfter });
      const page = found.slice(0, opts.limit);
      tickets = page.map((r) => ({
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
      const last = page[page.length - 1];
      if (found.length > opts.limit && last) nextTickets = encodeCursor([last.score, last.id]);
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
    if (nextTickets === null && nextCustomers === null) return { tickets, customers, nextCursor: null };
    return {
      tickets,
      customers,
      nextCursor: encodeCursor({ t: nextTickets, c: nextCustomers } satisfies CombinedCursor),
    };
  });
}
