import { describe, expect, it } from 'vitest';
import { invalidationTargets, isNewCustomerMessage, parseRealtimeEvent, reconnectDelay } from './realtime-events.ts';

describe('realtime events', () => {
  it('parses what the server pushes and ignores anything malformed', () => {
    expect(parseRealtimeEvent('{"type":"message.added","ticketId":"t1","eventId":7}')).toEqual({
      type: 'message.added',
      ticketId: 't1',
      eventId: 7,
      authorType: undefined,
      kind: undefined,
      assigneeId: undefined,
    });
    expect(parseRealtimeEvent('not json')).toBeNull();
    expect(parseRealtimeEvent('[1,2]')).toBeNull();
    expect(parseRealtimeEvent('{"ticketId":"t1"}')).toBeNull();
    expect(parseRealtimeEvent(new ArrayBuffer(4))).toBeNull();
  });

  it('backs off exponentially up to thirty seconds, with jitter', () => {
    expect(reconnectDelay(0, () => 0)).toBe(250);
    expect(reconnectDelay(0, () => 1)).toBe(500);
    expect(reconnectDelay(3, () => 1)).toBe(4000);
    expect(reconnectDelay(50, () => 1)).toBe(30_000);
    expect(reconnectDelay(50, () => 0)).toBe(15_000);
  });

  it('refreshes the thread of a ticket that got a message, and the lists', () => {
    expect(invalidationTargets({ type: 'message.added', ticketId: 't1' })).toEqual(['messages', 'ticket', 'events', 'lists', 'search']);
    expect(invalidationTargets({ type: 'ticket.updated', ticketId: 't1' })).toContain('ticket');
    expect(invalidationTargets({ type: 'ticket.created', ticketId: 't1' })).toEqual(['lists', 'customer-tickets']);
    expect(invalidationTargets({ type: 'hello' })).toEqual([]);
  });

  it('recognises a customer message', () => {
    expect(isNewCustomerMessage({ type: 'message.received', ticketId: 't' })).toBe(true);
    expect(isNewCustomerMessage({ type: 'message.added', ticketId: 't', authorType: 'customer' })).toBe(true);
    expect(isNewCustomerMessage({ type: 'message.added', ticketId: 't', authorType: 'staff' })).toBe(false);
  });
});
