import type { TicketView } from '@seva/contracts';
import type { InboxSearch } from '../../app/router.tsx';

/**
 * The inbox's filters live in the URL (InboxSearch): these pure helpers turn them into the GET /tickets query,
 * into the filters a saved view stores, and back.
 */
export const INBOX_VIEWS: readonly TicketView[] = ['mine', 'unassigned', 'my_teams', 'collaborating', 'all'];
export const DEFAULT_VIEW: TicketView = 'all';
export const DEFAULT_SORT = 'updated_desc';
export const SORTS = ['updated_desc', 'updated_asc', 'created_desc', 'created_asc', 'priority_desc', 'sla_due_asc'] as const;

/** The filter keys a saved view keeps (everything in the URL except which saved view is selected). */
export const FILTER_KEYS = ['view', 'status', 'priority', 'channel', 'language', 'categoryId', 'tag', 'sort'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type InboxFilters = Partial<Record<FilterKey, string>>;

export interface TicketListQuery {
  view: string;
  sort: string;
  status?: string;
  priority?: string;
  channel?: string;
  language?: string;
  categoryId?: string;
  tag?: string;
}

function clean(value: unknown): string | undefined {
  if (Array.isArray(value)) return clean(value.filter((v) => typeof v === 'string' && v !== '').join(','));
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  return v === '' ? undefined : v;
}

/** GET /tickets query for the current URL: a stable object (same filters → equal query keys). */
export function toTicketListQuery(search: InboxSearch): TicketListQuery {
  const q: TicketListQuery = { view: clean(search.view) ?? DEFAULT_VIEW, sort: clean(search.sort) ?? DEFAULT_SORT };
  for (const k of ['status', 'priority', 'channel', 'language', 'categoryId', 'tag'] as const) {
    const v = clean(search[k]);
    if (v !== undefined) q[k] = v;
  }
  return q;
}

/** What "save current filters as a view" stores. */
export function toViewFilters(search: InboxSearch): InboxFilters {
  const out: InboxFilters = {};
  for (const k of FILTER_KEYS) {
    const v = clean(search[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The URL search for a saved view: only known keys, only strings (lists joined by commas). */
export function fromViewFilters(filters: Record<string, unknown>, savedViewId: string): InboxSearch {
  const out: InboxSearch = { savedViewId };
  for (const k of FILTER_KEYS) {
    const v = clean(filters[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** A comma list from the URL as an array for multi-selects. */
export function splitList(value: string | undefined): string[] {
  return value ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** Number of filters narrowing the list beyond the view (for the "clear filters" affordance). */
export function activeFilterCount(search: InboxSearch): number {
  return (['status', 'priority', 'channel', 'language', 'categoryId', 'tag'] as const).filter((k) => clean(search[k]) !== undefined).length;
}

let lastSearch: InboxSearch = {};
/** The inbox remembers its filters so "back to inbox" (Esc on a ticket) returns to the same list. */
export function rememberInboxSearch(search: InboxSearch): void {
  lastSearch = search;
}
export function lastInboxSearch(): InboxSearch {
  return lastSearch;
}
