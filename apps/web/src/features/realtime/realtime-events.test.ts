import { describe, expect, it } from 'vitest';
import { invalidationTargets, isNewCustomerMessage, mayBeCustomerMessage, parseRealtimeEvent, realtimeSocketUrl, reconnectDelay } from './realtime-events.ts';

describe('realtime events', () => {
  it('parses what the server pushes and ignores anything malformed', () => {
    expect(parseRealtimeEvent('{"type":"message.added","ticketId":"t1","eventId":7}')).toEqual({ type: 'message.added', ticketId: 't1', eventId: 7 });
    expect(parseRealtimeEvent('{"type":"ticket.updated","ticketId":null,"customerId":"c1","eventId":8}')).toEqual({
      type: 'ticket.updated',
      customerId: 'c1',
      eventId: 8,
    });
    expect(parseRealtimeEvent('{"type":"message.added","ticketId":"t1","eventId":9,"payload":{"authorType":"customer","kind":"public"}}')).toMatchObject({
      authorType: 'customer',
      kind: 'public',
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
    expect(invalidationTargets({ type: 'realtime.ready', eventId: 3 })).toEqual([]);
  });

  it('recognises a customer message', () => {
    expect(isNewCustomerMessage({ type: 'message.received', ticketId: 't' })).toBe(true);
    expect(isNewCustomerMessage({ type: 'message.added', ticketId: 't', authorType: 'customer' })).toBe(true);
    expect(isNewCustomerMessage({ type: 'message.added', ticketId: 't', authorType: 'staff' })).toBe(false);
  });

  it('only looks for a customer message where one could be', () => {
    expect(mayBeCustomerMessage({ type: 'message.added', ticketId: 't' })).toBe(true);
    expect(mayBeCustomerMessage({ type: 'message.added', ticketId: 't', kind: 'internal' })).toBe(false);
    expect(mayBeCustomerMessage({ type: 'message.delivery_changed', ticketId: 't' })).toBe(false);
    expect(mayBeCustomerMessage({ type: 'message.added', ticketId: 't', authorType: 'staff' })).toBe(false);
  });

  it('resumes the socket after the last event seen, on the same host and scheme', () => {
    expect(realtimeSocketUrl({ protocol: 'https:', host: 'desk.example' }, null)).toBe('wss://desk.example/api/v1/realtime');
    expect(realtimeSocketUrl({ protocol: 'http:', host: 'localhost:3000' }, 42)).toBe('ws://localhost:3000/api/v1/realtime?since=42');
  });
});
