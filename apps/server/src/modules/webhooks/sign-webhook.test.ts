import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, newWebhookSecret, retryDelaySeconds, signWebhook, verifyWebhook } from './sign-webhook.ts';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"type":"ticket.created"}';

  it('signs timestamp and body, and a receiver can check both', () => {
    const header = signWebhook(secret, 1_800_000_000, body);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(secret, header, body, 1_800_000_100)).toBe(true);
    expect(verifyWebhook(secret, header, `${body} `, 1_800_000_100)).toBe(false);
    expect(verifyWebhook('whsec_other', header, body, 1_800_000_100)).toBe(false);
    expect(verifyWebhook(secret, header, body, 1_800_001_000)).toBe(false);
    expect(verifyWebhook(secret, 'garbage', body, 1_800_000_000)).toBe(false);
  });

  it('makes long random secrets', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it('backs off exponentially and gives up', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(MAX_ATTEMPTS)).toBeNull();
  });
});
