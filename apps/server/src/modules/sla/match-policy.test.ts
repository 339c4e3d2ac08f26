import { describe, expect, it } from 'vitest';
import { choosePolicy, policyMatches } from './match-policy.ts';

const ticket = { priority: 'urgent', channel: 'email', categoryId: 'c1', organisationId: 'o1', customerTier: 'Gold' };

describe('SLA policy selection', () => {
  it('needs every condition that is set, and ignores the ones left out', () => {
    expect(policyMatches({}, ticket)).toBe(true);
    expect(policyMatches({ priorities: ['urgent', 'high'], channels: ['email'] }, ticket)).toBe(true);
    expect(policyMatches({ priorities: ['urgent'], channels: ['chat'] }, ticket)).toBe(false);
    expect(policyMatches({ customerTiers: ['gold'] }, ticket)).toBe(true);
    expect(policyMatches({ organisationIds: ['o2'] }, ticket)).toBe(false);
    expect(policyMatches({ categoryIds: ['c1'] }, { ...ticket, categoryId: null })).toBe(false);
  });

  it('takes the first active match in position order', () => {
    const policies = [
      { id: 'b', name: 'B', position: 2, active: true, conditions: {} },
      { id: 'a', name: 'A', position: 1, active: true, conditions: { channels: ['chat'] } },
      { id: 'z', name: 'Z', position: 0, active: false, conditions: {} },
      { id: 'c', name: 'C', position: 1, active: true, conditions: { priorities: ['urgent'] } },
    ];
    expect(choosePolicy(policies, ticket)?.id).toBe('c');
    expect(choosePolicy(policies, { ...ticket, priority: 'low' })?.id).toBe('b');
    expect(choosePolicy([], ticket)).toBeNull();
  });
});
