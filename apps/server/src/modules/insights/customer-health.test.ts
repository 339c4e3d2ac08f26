import { describe, expect, it } from 'vitest';
import { customerHealth } from './customer-health.ts';

const calm = { maxContactsIn7Days: 1, reopened: 0, negativeMessages: 0, badRatings: 0, slowResponses: 0, silentAfterComplaint: false };

describe('customer health', () => {
  it('is 100 with no warning signs', () => {
    expect(customerHealth(calm)).toEqual({ health: 100, reasons: [] });
  });

  it('takes points off per signal, capped, with the strongest reason first', () => {
    // bad rating 25, repeat contacts 15, reopened 2 × 10 = 20 → 40
    expect(customerHealth({ ...calm, maxContactsIn7Days: 4, reopened: 2, badRatings: 1 })).toEqual({
      health: 40,
      reasons: [
        { reason: 'bad_rating', count: 1 },
        { reason: 'reopened', count: 2 },
        { reason: 'repeat_contacts', count: 4 },
      ],
    });
    expect(customerHealth({ ...calm, negativeMessages: 9 }).health).toBe(80); // capped at 20
    expect(customerHealth({ maxContactsIn7Days: 9, reopened: 9, negativeMessages: 9, badRatings: 9, slowResponses: 9, silentAfterComplaint: true }).health).toBe(0);
  });
});
