import { describe, expect, it } from 'vitest';
import { isClosed, selectableStatuses, sendAndSetStatuses } from './ticket-status.ts';

describe('ticket status choices in the agent workspace', () => {
  it('offers the current status first, then only the reachable ones', () => {
    expect(selectableStatuses('new')).toEqual(['new', 'open', 'pending', 'on_hold', 'solved']);
    expect(selectableStatuses('solved')).toEqual(['solved', 'open', 'closed']);
  });

  it('offers nothing to move a closed ticket to', () => {
    expect(selectableStatuses('closed')).toEqual(['closed']);
    expect(sendAndSetStatuses('closed')).toEqual([]);
    expect(isClosed('closed')).toBe(true);
  });

  it('never offers to close or re-new a ticket when sending a reply', () => {
    expect(sendAndSetStatuses('solved')).toEqual(['open']);
    expect(sendAndSetStatuses('open')).toEqual(['pending', 'on_hold', 'solved']);
  });
});
