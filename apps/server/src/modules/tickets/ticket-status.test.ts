import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canTransition,
  isFinal,
  nextStatuses,
  statusAfterAgentReply,
  statusAfterCustomerReply,
  TICKET_STATUSES,
  type TicketStatus,
} from './ticket-status.ts';

const ALLOWED = new Set([
  'new>open',
  'new>pending',
  'new>on_hold',
  'new>solved',
  'open>pending',
  'open>on_hold',
  'open>solved',
  'pending>open',
  'pending>on_hold',
  'pending>solved',
  'on_hold>open',
  'on_hold>pending',
  'on_hold>solved',
  'solved>open',
  'solved>closed',
]);

describe('the ticket status machine', () => {
  it('allows exactly the documented transitions, checked for every pair of statuses', () => {
    for (const from of TICKET_STATUSES) {
      for (const to of TICKET_STATUSES) {
        expect(canTransition(from, to), `${from} → ${to}`).toBe(ALLOWED.has(`${from}>${to}`));
      }
    }
  });

  it('never lets a closed ticket move again, and never treats staying put as a transition', () => {
    const status = fc.constantFrom(...TICKET_STATUSES);
    fc.assert(
      fc.property(status, status, (from, to) => {
        if (from === 'closed') expect(canTransition(from, to)).toBe(false);
        if (from === to) expect(canTransition(from, to)).toBe(false);
        expect(nextStatuses(from).includes(to)).toBe(canTransition(from, to));
      }),
    );
    expect(isFinal('closed')).toBe(true);
    expect(TICKET_STATUSES.filter(isFinal)).toEqual(['closed']);
  });

  it('reaches closed only through solved, except by merging', () => {
    for (const from of TICKET_STATUSES) {
      expect(canTransition(from, 'closed')).toBe(from === 'solved');
      expect(canTransition(from, 'closed', 'merge')).toBe(from !== 'closed');
    }
    expect(canTransition('open', 'pending', 'merge')).toBe(false);
  });

  it('can reach every status from new by some path of manual transitions', () => {
    const seen = new Set<TicketStatus>(['new']);
    const queue: TicketStatus[] = ['new'];
    while (queue.length > 0) {
      const s = queue.shift() as TicketStatus;
      for (const n of nextStatuses(s)) {
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    expect([...seen].sort()).toEqual([...TICKET_STATUSES].sort());
  });

  it('reopens a solved ticket and wakes a pending one when the customer writes', () => {
    expect(statusAfterCustomerReply('solved')).toBe('open');
    expect(statusAfterCustomerReply('pending')).toBe('open');
    expect(statusAfterCustomerReply('new')).toBe('new');
    expect(statusAfterCustomerReply('open')).toBe('open');
    expect(statusAfterCustomerReply('on_hold')).toBe('on_hold');
    expect(statusAfterCustomerReply('closed')).toBe('closed');
    fc.assert(
      fc.property(fc.constantFrom(...TICKET_STATUSES), (s) => {
        const next = statusAfterCustomerReply(s);
        expect(next === s || canTransition(s, next)).toBe(true);
      }),
    );
  });

  it('opens a new ticket on an agent reply unless the agent picks a status', () => {
    expect(statusAfterAgentReply('new')).toEqual({ ok: true, status: 'open' });
    expect(statusAfterAgentReply('pending')).toEqual({ ok: true, status: 'pending' });
    expect(statusAfterAgentReply('new', 'pending')).toEqual({ ok: true, status: 'pending' });
    expect(statusAfterAgentReply('open', 'solved')).toEqual({ ok: true, status: 'solved' });
    expect(statusAfterAgentReply('open', 'open')).toEqual({ ok: true, status: 'open' });
    expect(statusAfterAgentReply('open', 'closed')).toEqual({ ok: false, from: 'open', to: 'closed' });
    expect(statusAfterAgentReply('closed', 'open')).toEqual({ ok: false, from: 'closed', to: 'open' });
  });
});
