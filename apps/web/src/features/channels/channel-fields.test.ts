import { describe, expect, it } from 'vitest';
import {
  CHANNEL_FIELDS,
  fieldValuesToBody,
  hookUrl,
  hoursFromChannel,
  hoursToBody,
  missingFields,
} from './channel-fields.ts';

describe('channel connect form', () => {
  it('sorts values into settings, write-only credentials and the callback URL, leaving blanks out', () => {
    expect(
      fieldValuesToBody('sms', { accountSid: ' AC1 ', phoneNumber: '+14155550100', authToken: 'tok', webhookUrl: '' }),
    ).toEqual({
      settings: { accountSid: 'AC1', phoneNumber: '+14155550100' },
      credentials: { authToken: 'tok' },
    });
    expect(fieldValuesToBody('api', { callbackUrl: 'https://app.example.com/seva' })).toEqual({
      callbackUrl: 'https://app.example.com/seva',
    });
  });

  it('names what is still missing, counting credentials already stored', () => {
    expect(missingFields('whatsapp', { phoneNumberId: '1' })).toEqual(['appSecret', 'accessToken', 'verifyToken']);
    expect(missingFields('whatsapp', { phoneNumberId: '1' }, ['appSecret', 'accessToken', 'verifyToken'])).toEqual([]);
  });

  it('marks every credential secret and no setting secret', () => {
    for (const fields of Object.values(CHANNEL_FIELDS))
      for (const f of fields) expect(f.secret).toBe(f.group === 'credentials');
  });

  it('builds the webhook URL from the origin', () => {
    expect(hookUrl('https://desk.example.com/', '/hooks/channels/x')).toBe('https://desk.example.com/hooks/channels/x');
  });
});

describe('business hours form', () => {
  it('turns the chosen days into one range per day, or null when always open', () => {
    expect(
      hoursToBody({ enabled: true, timezone: 'Asia/Dhaka', days: [3, 1, 1], open: '09:00', close: '18:00' }),
    ).toEqual({
      timezone: 'Asia/Dhaka',
      days: [
        { day: 1, open: '09:00', close: '18:00' },
        { day: 3, open: '09:00', close: '18:00' },
      ],
    });
    expect(hoursToBody({ enabled: false, timezone: 'UTC', days: [1], open: '09:00', close: '17:00' })).toBeNull();
  });

  it('reads stored hours back into the form', () => {
    expect(
      hoursFromChannel({ timezone: 'Asia/Kolkata', days: [{ day: 2, open: '10:00', close: '19:00' }] }, 'UTC'),
    ).toEqual({
      enabled: true,
      timezone: 'Asia/Kolkata',
      days: [2],
      open: '10:00',
      close: '19:00',
    });
    expect(hoursFromChannel(null, 'Asia/Dhaka').enabled).toBe(false);
  });
});
