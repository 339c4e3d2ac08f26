import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fakes/fake-providers.ts';
import type { ChannelRow } from './adapters/adapter.ts';
import { instagramAdapter, messengerAdapter } from './adapters/messenger.adapter.ts';
import { metaSignature, sevaSignature, twilioSignature, verifySevaSignature } from './adapters/signatures.ts';
import { telegramAdapter } from './adapters/telegram.adapter.ts';
import { twilioAdapter } from './adapters/twilio.adapter.ts';
import { whatsappAdapter } from './adapters/whatsapp.adapter.ts';
import { canAdvance } from './delivery-status.ts';

const channel = (kind: string, settings: Record<string, string> = {}) => ({ id: 'c', kind, settings }) as unknown as ChannelRow;
const req = (body: string, form?: Record<string, string>) => ({ rawBody: Buffer.from(body), headers: {}, url: 'https://x/hooks', ...(form ? { form } : {}) });

describe('signatures', () => {
  it('matches the example in Twilio\'s request-validation documentation', () => {
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('signs Meta payloads as sha256=<hex> over the raw bytes', () => {
    expect(metaSignature('secret', '{"a":1}')).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(metaSignature('secret', '{"a":1}')).not.toBe(metaSignature('secret', '{"a": 1}'));
  });

  it('refuses Seva signatures outside the five-minute window', () => {
    const now = 1_767_225_600_000;
    const ts = String(now / 1000);
    const body = Buffer.from('{}');
    const sig = sevaSignature('s', ts, body);
    expect(verifySevaSignature('s', ts, sig, body, now)).toBe(true);
    expect(verifySevaSignature('s', ts, sig, body, now + 301_000)).toBe(false);
    expect(verifySevaSignature('t', ts, sig, body, now)).toBe(false);
  });
});

describe('delivery states', () => {
  it('only moves forward, and a delivered message never becomes failed', () => {
    expect(canAdvance('queued', 'sent')).toBe(true);
    expect(canAdvance('sent', 'read')).toBe(true);
    expect(canAdvance('read', 'delivered')).toBe(false);
    expect(canAdvance('delivered', 'failed')).toBe(false);
    expect(canAdvance('sent', 'failed')).toBe(true);
    expect(canAdvance('failed', 'delivered')).toBe(true);
  });
});

describe('parsing the documented webhook formats', () => {
  it('reads a Twilio SMS and its status callback', () => {
    const form = Object.fromEntries(new URLSearchParams(fixture('twilio-inbound-sms.form', { SID: 'SM1', ACCOUNT_SID: 'AC1', FROM: '+8801712345678', BODY: 'hi there' })));
    expect(twilioAdapter.parse(req('', form), channel('sms'))).toEqual([
      expect.objectContaining({ type: 'message', externalMessageId: 'SM1', text: 'hi there', contact: expect.objectContaining({ externalId: '+8801712345678', phone: '+8801712345678' }) }),
    ]);
    const status = Object.fromEntries(new URLSearchParams(fixture('twilio-status-delivered.form', { SID: 'SM2', TO: '+1', ACCOUNT_SID: 'AC1' })));
    expect(twilioAdapter.parse(req('', status), channel('sms'))).toEqual([{ type: 'receipt', providerMessageId: 'SM2', status: 'delivered', error: undefined }]);
  });

  it('reads WhatsApp messages and statuses, and ignores another phone number\'s events', () => {
    const text = fixture('whatsapp-inbound-text.json', { PHONE_NUMBER_ID: 'P1', NAME: 'Asha', WA_ID: '8801712345678', WAMID: 'wamid.1', TIMESTAMP: 1, BODY: 'hello' });
    expect(whatsappAdapter.parse(req(text), channel('whatsapp', { phoneNumberId: 'P1' }))).toEqual([
      expect.objectContaining({ externalMessageId: 'wamid.1', text: 'hello', contact: expect.objectContaining({ externalId: '+8801712345678', name: 'Asha' }) }),
    ]);
    expect(whatsappAdapter.parse(req(text), channel('whatsapp', { phoneNumberId: 'OTHER' }))).toEqual([]);
    const st = fixture('whatsapp-status-read.json', { PHONE_NUMBER_ID: 'P1', WAMID: 'wamid.2', STATUS: 'read', TIMESTAMP: 1, WA_ID: '1' });
    expect(whatsappAdapter.parse(req(st), channel('whatsapp'))).toEqual([{ type: 'receipt', providerMessageId: 'wamid.2', status: 'read', error: undefined }]);
  });

  it('reads Messenger messages and deliveries, never our own echoes, and keeps Instagram apart', () => {
    const msg = fixture('messenger-inbound-text.json', { PAGE_ID: 'PG', TIME_MS: 1, PSID: 'U1', MID: 'm_1', BODY: 'hi' });
    expect(messengerAdapter.parse(req(msg), channel('messenger'))).toHaveLength(1);
    expect(instagramAdapter.parse(req(msg), channel('instagram'))).toHaveLength(0);
    const echo = msg.replace('"text"', '"is_echo": true, "text"');
    expect(messengerAdapter.parse(req(echo), channel('messenger'))).toHaveLength(0);
    const d = fixture('messenger-delivery.json', { PAGE_ID: 'PG', TIME_MS: 1, PSID: 'U1', MID: 'm_9' });
    expect(messengerAdapter.parse(req(d), channel('messenger'))).toEqual([{ type: 'receipt', status: 'delivered', providerMessageId: 'm_9' }]);
  });

  it('reads Telegram text and photos (largest size) and ignores bots', () => {
    const photo = fixture('telegram-update-photo.json', { UPDATE_ID: 1, MESSAGE_ID: 2, CHAT_ID: 3, NAME: 'Ravi', DATE: 1, FILE_ID: 'F', BODY: 'देखो' });
    const [e] = telegramAdapter.parse(req(photo), channel('telegram'));
    expect(e).toMatchObject({ externalMessageId: '3:2', text: 'देखो', media: [{ kind: 'image', providerMediaId: 'F' }], contact: { externalId: '3', locale: 'hi' } });
    const bot = photo.replace('"is_bot": false', '"is_bot": true');
    expect(telegramAdapter.parse(req(bot), channel('telegram'))).toEqual([]);
  });
});
