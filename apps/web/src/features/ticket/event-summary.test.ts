import { describe, expect, it } from 'vitest';
import { summarisePayload } from './event-summary.ts';

describe('event log lines', () => {
  it('shows a change as from → to', () => {
    expect(summarisePayload({ status: { from: 'open', to: 'pending' } })).toEqual([{ field: 'status', text: 'open → pending' }]);
  });

  it('hides internal ids, shortens other ids and names people', () => {
    const lines = summarisePayload({
      ticketId: '0b7d1f3e-1111-4222-8333-444455556666',
      assigneeId: { from: null, to: '0b7d1f3e-1111-4222-8333-444455556666' },
      assignee: { id: 'x', name: 'Asha' },
      tags: ['vip', 'refund'],
    });
    expect(lines).toEqual([
      { field: 'assigneeId', text: '— → 0b7d1f3e…' },
      { field: 'assignee', text: 'Asha' },
      { field: 'tags', text: 'vip, refund' },
    ]);
  });

  it('copes with an empty payload', () => {
    expect(summarisePayload(null)).toEqual([]);
    expect(summarisePayload({})).toEqual([]);
  });
});
