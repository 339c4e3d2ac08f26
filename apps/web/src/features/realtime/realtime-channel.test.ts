import { afterEach, describe, expect, it } from 'vitest';
import { isChatSignal, parseRealtimeMessage, publishRealtime, sendRealtime, setRealtimeSender, subscribeRealtime } from './realtime-channel.ts';

afterEach(() => setRealtimeSender(null));

describe('realtime channel', () => {
  it('hands every message to subscribers until they unsubscribe', () => {
    const got: string[] = [];
    const off = subscribeRealtime((m) => got.push(m.type));
    publishRealtime({ type: 'chat.offered', ticketId: 't', payload: { userId: 'u' } });
    off();
    publishRealtime({ type: 'chat.accepted' });
    expect(got).toEqual(['chat.offered']);
  });

  it('keeps delivering when one listener throws', () => {
    const got: string[] = [];
    const off1 = subscribeRealtime(() => {
      throw new Error('broken feature');
    });
    const off2 = subscribeRealtime((m) => got.push(m.type));
    publishRealtime({ type: 'chat.typing' });
    off1();
    off2();
    expect(got).toEqual(['chat.typing']);
  });

  it('sends only while a socket is open, as JSON', () => {
    expect(sendRealtime({ type: 'chat.typing', ticketId: '00000000-0000-4000-8000-000000000001', isTyping: true })).toBe(false);
    const frames: string[] = [];
    setRealtimeSender((d) => {
      frames.push(d);
      return true;
    });
    expect(sendRealtime({ type: 'chat.read', ticketId: 't', seq: 4 })).toBe(true);
    expect(JSON.parse(frames[0] as string)).toEqual({ type: 'chat.read', ticketId: 't', seq: 4 });
    setRealtimeSender(null);
    expect(sendRealtime({ type: 'chat.read', ticketId: 't', seq: 5 })).toBe(false);
  });

  it('parses objects with a type and refuses anything else; knows which messages are mere signals', () => {
    expect(parseRealtimeMessage('{"type":"chat.typing","ticketId":"t","from":"visitor","isTyping":true}')).toMatchObject({ from: 'visitor', isTyping: true });
    expect(parseRealtimeMessage('[]')).toBeNull();
    expect(parseRealtimeMessage('{"ticketId":"t"}')).toBeNull();
    expect(parseRealtimeMessage('nope')).toBeNull();
    expect(parseRealtimeMessage(42)).toBeNull();
    expect(isChatSignal('chat.typing')).toBe(true);
    expect(isChatSignal('chat.presence')).toBe(true);
    expect(isChatSignal('chat.page')).toBe(true);
    expect(isChatSignal('chat.offered')).toBe(false);
  });
});
