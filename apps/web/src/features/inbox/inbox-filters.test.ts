import { describe, expect, it } from 'vitest';
import { activeFilterCount, fromViewFilters, splitList, toTicketListQuery, toViewFilters } from './inbox-filters.ts';

describe('inbox filters in the URL', () => {
  it('asks for the default view and sort when the URL names none', () => {
    expect(toTicketListQuery({})).toEqual({ view: 'all', sort: 'updated_desc' });
  });

  it('passes every filter through and drops empty ones', () => {
    expect(toTicketListQuery({ view: 'mine', status: 'open,pending', priority: '', tag: ' vip ', categoryId: 'c1' })).toEqual({
      view: 'mine',
      sort: 'updated_desc',
      status: 'open,pending',
      tag: 'vip',
      categoryId: 'c1',
    });
  });

  it('saves the filters but not the selected saved view', () => {
    expect(toViewFilters({ view: 'unassigned', status: 'new', savedViewId: 'v1', sort: 'created_asc' })).toEqual({
      view: 'unassigned',
      status: 'new',
      sort: 'created_asc',
    });
  });

  it('restores a saved view while ignoring unknown or non-string filters', () => {
    expect(fromViewFilters({ view: 'mine', status: ['open', 'pending'], evil: 'x', tag: 42 }, 'v9')).toEqual({
      savedViewId: 'v9',
      view: 'mine',
      status: 'open,pending',
    });
  });

  it('splits comma lists and counts narrowing filters', () => {
    expect(splitList('open, pending,,')).toEqual(['open', 'pending']);
    expect(splitList(undefined)).toEqual([]);
    expect(activeFilterCount({ view: 'mine', status: 'open', tag: 'vip', sort: 'created_asc' })).toBe(2);
  });
});
