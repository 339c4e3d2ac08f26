import { describe, expect, it } from 'vitest';
import { CHANNEL_FIELDS, fieldValuesToBody, hookUrl, missingFields } from './channel-fields.ts';

describe('channel connect form', () => {
  it('sorts values into settings, write-only credentials and the callback URL, leaving blanks out', () => {
    expect(fieldValuesToBody('sms', { accountSid: ' AC1 ', phoneNumber: '+14155550100', authToken: 'tok', webhookUrl: '' })).toEqual({
      settings: { accountSid: 'AC1', phoneNumber: '+14155550100' },
      credentials: { authToken: 'tok' },
    });
    expect(fieldValuesToBody('api', { callbackUrl: 'https://app.example.com/seva' })).toEqual({ callbackUrl: 'https://app.example.com/seva' });
  });

  it('names what is still missing, counting credentials already stored', () => {
    expect(missingFields('whatsapp', { phoneNumberId: '1' })).toEqual(['appSecret', 'accessToken', 'verifyToken']);
    expect(missingFields('whatsapp', { phoneNumberId: '1' }, ['appSecret', 'accessToken', 'verifyToken'])).toEqual([]);
  });

  it('marks every credential secret and no setting secret', () => {
    for (const fields of Object.values(CHANNEL_FIELDS)) for (const f of fields) expect(f.secret).toBe(f.group === 'credentials');
  });

  it('builds the webhook URL from the origin', () => {
    expect(hookUrl('https://desk.example.com/', '/hooks/channels/x')).toBe('https://desk.example.com/hooks/channels/x');
  });
});
