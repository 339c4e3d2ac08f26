import type { TicketChannelInfo } from '@seva/contracts';
import { describe, expect, it } from 'vitest';
import { channelDelivery, isMessagingChannel, replyWindow } from './ticket-channel-state.ts';

type Ch = NonNullable<TicketChannelInfo['channel']>;
const whatsapp = (over: Partial<Ch> = {}): Ch => ({
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'whatsapp',
  name: 'WhatsApp',
  status: 'active',
  contact: { externalId: '8801712300000', displayName: 'Asha', lastInboundAt: '2026-03-01T10:00:00.000Z' },
  replyWindowEndsAt: '2026-03-02T10:00:00.000Z',
  templateConfigured: false,
  ...over,
});

describe('channelDelivery', () => {
  it('reads the delivery state a channel wrote on a message', () => {
    expect(channelDelivery({ channel: { delivery: { status: 'delivered', at: 'x' } } })).toEqual({
      status: 'delivered',
    });
  });
  it('keeps the error of a failed delivery only', () => {
    expect(channelDelivery({ channel: { delivery: { status: 'failed', error: 'Twilio 21211: invalid To' } } })).toEqual(
      { status: 'failed', error: 'Twilio 21211: invalid To' },
    );
    expect(channelDelivery({ channel: { delivery: { status: 'read', error: 'old error' } } })).toEqual({
      status: 'read',
    });
  });
  it('is null for messages without a channel delivery or with an unknown state', () => {
    expect(channelDelivery({})).toBeNull();
    expect(channelDelivery(null)).toBeNull();
    expect(channelDelivery({ channel: { movedToEmail: 'a@example.com' } })).toBeNull();
    expect(channelDelivery({ channel: { delivery: { status: 'bounced' } } })).toBeNull();
    expect(channelDelivery({ channel: 'sms' })).toBeNull();
    expect(channelDelivery({ email: { delivery: { status: 'sent' } } })).toBeNull();
  });
});

describe('replyWindow', () => {
  const now = new Date('2026-03-02T09:00:00.000Z');
  it('is open until the end of the 24 hours', () => {
    expect(replyWindow(whatsapp(), now)).toEqual({ state: 'open', endsAt: new Date('2026-03-02T10:00:00.000Z') });
  });
  it('is closed once the end has passed: a template if one is set, else replies fail', () => {
    const later = new Date('2026-03-02T10:00:00.000Z');
    expect(replyWindow(whatsapp(), later).state).toBe('closed');
    expect(replyWindow(whatsapp({ templateConfigured: true }), later).state).toBe('template');
  });
  it('is none for channels without a window', () => {
    expect(replyWindow(whatsapp({ kind: 'sms', replyWindowEndsAt: null }), now)).toEqual({ state: 'none' });
  });
});

describe('isMessagingChannel', () => {
  it('knows the messaging channels from email, chat and the rest', () => {
    expect(['sms', 'whatsapp', 'telegram', 'api'].every(isMessagingChannel)).toBe(true);
    expect(['email', 'chat', 'web', 'phone'].some(isMessagingChannel)).toBe(false);
  });
});
