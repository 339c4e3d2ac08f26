import type { WidgetMessage } from '@seva/contracts';
import { describe, expect, it } from 'vitest';
import {
  acknowledgeMessage,
  countUnread,
  createDeliveryState,
  enqueueMessage,
  lastSeenOwnSeq,
  makeClientId,
  pendingMessages,
  receiveMessage,
  receiveMessages,
  reconnectDelay,
} from './delivery.ts';

function msg(seq: number, over: Partial<WidgetMessage> = {}): WidgetMessage {
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    seq,
    clientId: null,
    authorType: 'staff',
    authorName: 'Asha',
    bodyText: `message ${seq}`,
    attachments: [],
    createdAt: new Date(2026, 0, 1, 0, 0, seq).toISOString(),
    ...over,
  };
}

const outgoing = (clientId: string, body = 'hello') => ({ clientId, body, attachmentIds: [], createdAt: '2026-01-01T00:00:00Z' });

describe('chat delivery', () => {
  it('keeps a written message in the outbox until it is acked, and resends it after a reconnect', () => {
    let s = enqueueMessage(createDeliveryState(), outgoing('c_1'));
    s = enqueueMessage(s, outgoing('c_2'));
    expect(pendingMessages(s).map((m) => m.clientId)).toEqual(['c_1', 'c_2']);
    s = acknowledgeMessage(s, 'c_1');
    expect(pendingMessages(s).map((m) => m.clientId)).toEqual(['c_2']);
    // a reconnect resends what is left, in the order written
    expect(pendingMessages(s)[0]?.body).toBe('hello');
  });

  it('does not queue the same clientId twice', () => {
    let s = enqueueMessage(createDeliveryState(), outgoing('c_1'));
    s = enqueueMessage(s, outgoing('c_1', 'again'));
    expect(s.outbox).toHaveLength(1);
  });

  it('drops the pending copy when its stored message arrives, even before the ack', () => {
    let s = enqueueMessage(createDeliveryState(), outgoing('c_1'));
    s = receiveMessage(s, msg(3, { authorType: 'customer', clientId: 'c_1' }));
    expect(s.outbox).toEqual([]);
    expect(s.messages.map((m) => m.seq)).toEqual([3]);
    expect(acknowledgeMessage(s, 'c_1')).toBe(s);
  });

  it('keeps each seq once and in order when a replay overlaps live messages', () => {
    let s = receiveMessages(createDeliveryState(), [msg(1), msg(2), msg(5)]);
    // reconnect: replay from afterSeq 2 brings 5 again plus 3 and 4 that were in flight, out of order
    s = receiveMessages(s, [msg(5), msg(3), msg(4)]);
    s = receiveMessage(s, msg(4));
    expect(s.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(s.lastSeq).toBe(5);
  });

  it('returns the same state for a pure duplicate, so nothing re-renders', () => {
    const s = receiveMessages(createDeliveryState(), [msg(1)]);
    expect(receiveMessage(s, msg(1))).toBe(s);
  });

  it('survives gaps in seq (internal notes are never sent to the widget)', () => {
    const s = receiveMessages(createDeliveryState(), [msg(1), msg(4)]);
    expect(s.lastSeq).toBe(4);
    expect(s.messages).toHaveLength(2);
  });

  it('marks the newest own message the agent has read as seen and counts unread agent messages', () => {
    const s = receiveMessages(createDeliveryState(), [
      msg(1, { authorType: 'customer', clientId: 'a' }),
      msg(2),
      msg(3, { authorType: 'customer', clientId: 'b' }),
      msg(4),
    ]);
    expect(lastSeenOwnSeq(s, 0)).toBeNull();
    expect(lastSeenOwnSeq(s, 2)).toBe(1);
    expect(lastSeenOwnSeq(s, 4)).toBe(3);
    expect(countUnread(s, 2)).toBe(1);
    expect(countUnread(s, 0)).toBe(2);
  });

  it('makes client ids long enough for the server and unique', () => {
    const a = makeClientId();
    const b = makeClientId();
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(a).not.toBe(b);
  });

  it('backs off exponentially with jitter up to a cap', () => {
    expect(reconnectDelay(0, () => 0)).toBe(250);
    expect(reconnectDelay(0, () => 0.999)).toBeLessThanOrEqual(500);
    expect(reconnectDelay(3, () => 0)).toBe(2000);
    expect(reconnectDelay(50, () => 0.999)).toBeLessThanOrEqual(15_000);
  });
});
