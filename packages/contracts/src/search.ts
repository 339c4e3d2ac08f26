import { z } from 'zod';
import { CustomerSummary } from './customers.ts';
import { TicketPriority, TicketStatus } from './tickets.ts';

export const SEARCH_TYPES = ['tickets', 'customers', 'all'] as const;
export const SearchType = z.enum(SEARCH_TYPES);
export type SearchType = z.infer<typeof SearchType>;

/** relevance: best matches first (for very common words, best first within each window of the newest matches);
 * recent: most recently updated tickets first. */
export const SEARCH_SORTS = ['relevance', 'recent'] as const;
export const SearchSort = z.enum(SEARCH_SORTS);
export type SearchSort = z.infer<typeof SearchSort>;

export const SearchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  type: SearchType.default('all'),
  sort: SearchSort.default('relevance'),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  cursor: z.string().min(1).max(500).optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const TicketSearchHit = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  status: TicketStatus,
  priority: TicketPriority,
  customer: z.object({ id: z.uuid(), name: z.string() }),
  updatedAt: z.string(),
  /** HTML: the matched text, escaped, with matches wrapped in <mark>…</mark>; nothing else is ever unescaped */
  snippet: z.string(),
  /** where the snippet comes from */
  matchedIn: z.enum(['subject', 'message', 'internal_note', 'number']),
  score: z.number(),
});
export type TicketSearchHit = z.infer<typeof TicketSearchHit>;

export const CustomerSearchHit = CustomerSummary.extend({ score: z.number() });
export type CustomerSearchHit = z.infer<typeof CustomerSearchHit>;

export const SearchResult = z.object({
  tickets: z.array(TicketSearchHit),
  customers: z.array(CustomerSearchHit),
  /** pass back as `cursor` for more of the same query and type; null when nothing is left */
  nextCursor: z.string().nullable(),
  /**
   * How many tickets match, on the first page of a ticket search only: exact when every match was ranked, else the
   * planner's estimate from index statistics (show it as "about N").
   */
  ticketTotal: z.object({ count: z.number().int().nonnegative(), exact: z.boolean() }).optional(),
});
export type SearchResult = z.infer<typeof SearchResult>;
