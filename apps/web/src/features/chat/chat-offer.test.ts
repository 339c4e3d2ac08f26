import { describe, expect, it } from 'vitest';
import { type ChatOffer, endsOffer, formatWait, isOfferForMe, isVisitorMessage, offersReducer, pendingOffers, percentLeft, secondsLeft } from './chat-offer.ts';

const offer = (ticketId: string, offeredAt = 0, timeoutSeconds = 30): ChatOffer => ({
  ticketId,
  ticketNumber: 7,
  visitorName: 'Rina',
  pageUrl: null,
  locale: 'bn',
  offeredAt,
  timeoutSeconds,
});

describe('chat offers', () => {
  it('counts down in whole seconds, rounding up, and stops at zero', () => {
    expect(secondsLeft(offer('a', 1000, 30), 1000)).toBe(30);
    expect(secondsLeft(offer('a', 1000, 30), 1001)).toBe(30);
    expect(secondsLeft(offer('a', 1000, 30), 30_999)).toBe(1);
    expect(secondsLeft(offer('a', 1000, 30), 31_000)).toBe(0);
    expect(secondsLeft(offer('a', 1000, 30), 99_000)).toBe(0);
    expect(percentLeft(offer('a', 0, 20), 10_000)).toBe(50);
    expect(percentLeft(offer('a', 0, 20), 30_000)).toBe(0);
  });

  it('keeps one offer per chat, drops it when it is gone, and expires old ones', () => {
    let s = offersReducer([], { type: 'offered', offer: offer('a', 0, 10) });
    s = offersReducer(s, { type: 'offered', offer: offer('b', 5000, 10) });
    s = offersReducer(s, { type: 'offered', offer: offer('a', 6000, 10) });
    // seen again (event and list): the first countdown stands
    expect(s.map((o) => [o.ticketId, o.offeredAt])).toEqual([
      ['a', 0],
      ['b', 5000],
    ]);
    expect(offersReducer(s, { type: 'expire', now: 10_500 }).map((o) => o.ticketId)).toEqual(['b']);
    expect(offersReducer(s, { type: 'gone', ticketId: 'b' }).map((o) => o.ticketId)).toEqual(['a']);
    const same = offersReducer(s, { type: 'gone', ticketId: 'zzz' });
    expect(same).toBe(s);
    expect(offersReducer(s, { type: 'expire', now: 0 })).toBe(s);
  });

  it('takes an offer only when it names me, and withdraws it when the chat is accepted, ended or moved on', () => {
    expect(isOfferForMe({ type: 'chat.offered', payload: { userId: 'me' } }, 'me')).toBe(true);
    expect(isOfferForMe({ type: 'chat.offered', payload: { userId: 'you' } }, 'me')).toBe(false);
    expect(isOfferForMe({ type: 'chat.offered' }, undefined)).toBe(false);
    expect(isOfferForMe({ type: 'chat.accepted', payload: { userId: 'me' } }, 'me')).toBe(false);
    expect(endsOffer({ type: 'chat.accepted', payload: { userId: 'me' } }, 'me')).toBe(true);
    expect(endsOffer({ type: 'chat.ended' }, 'me')).toBe(true);
    expect(endsOffer({ type: 'chat.offered', payload: { userId: 'you' } }, 'me')).toBe(true);
    expect(endsOffer({ type: 'chat.offered', payload: { userId: 'me' } }, 'me')).toBe(false);
    expect(endsOffer({ type: 'message.added' }, 'me')).toBe(false);
  });

  it('formats waiting time', () => {
    expect(formatWait(0)).toBe('0:00');
    expect(formatWait(65)).toBe('1:05');
    expect(formatWait(3725)).toBe('1:02:05');
    expect(formatWait(-3)).toBe('0:00');
  });

  it('restores offers made to me after a reload, but not dismissed, expired or someone else\'s', () => {
    const base = { ticketNumber: 1, customerName: 'Rina', pageUrl: null, locale: null };
    const chats = [
      { ...base, ticketId: 'mine', status: 'waiting', offeredToId: 'me', offeredAt: new Date(10_000).toISOString() },
      { ...base, ticketId: 'future', status: 'waiting', offeredToId: 'me', offeredAt: new Date(99_000).toISOString() },
      { ...base, ticketId: 'old', status: 'waiting', offeredToId: 'me', offeredAt: new Date(-15_000).toISOString() },
      { ...base, ticketId: 'declined', status: 'waiting', offeredToId: 'me', offeredAt: new Date(10_000).toISOString() },
      { ...base, ticketId: 'theirs', status: 'waiting', offeredToId: 'you', offeredAt: new Date(10_000).toISOString() },
      { ...base, ticketId: 'active', status: 'active', offeredToId: 'me', offeredAt: new Date(10_000).toISOString() },
    ];
    const got = pendingOffers(chats, 'me', new Set(['declined']), 20_000, 30);
    expect(got.map((o) => [o.ticketId, o.offeredAt, secondsLeft(o, 20_000)])).toEqual([
      ['mine', 10_000, 20],
      ['future', 20_000, 30],
    ]);
  });

  it('recognises a new message from the visitor', () => {
    expect(isVisitorMessage({ type: 'message.added', payload: { authorType: 'customer', kind: 'public' } })).toBe(true);
    expect(isVisitorMessage({ type: 'message.added', authorType: 'customer' })).toBe(true);
    expect(isVisitorMessage({ type: 'message.received' })).toBe(true);
    expect(isVisitorMessage({ type: 'message.added', payload: { authorType: 'staff', kind: 'public' } })).toBe(false);
    expect(isVisitorMessage({ type: 'message.added', payload: { authorType: 'customer', kind: 'internal' } })).toBe(false);
    expect(isVisitorMessage({ type: 'message.added' })).toBe(false);
    expect(isVisitorMessage({ type: 'chat.offered', payload: { authorType: 'customer' } })).toBe(false);
  });
});
