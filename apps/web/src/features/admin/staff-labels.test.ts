import { describe, expect, it } from 'vitest';
import { isLastActiveAdmin, matchesStaff } from './staff-labels.ts';

describe('staff list helpers', () => {
  it('finds people by part of their name or email, ignoring case', () => {
    const asha = { name: 'Asha Roy', email: 'asha@example.com' };
    expect(matchesStaff(asha, 'roy')).toBe(true);
    expect(matchesStaff(asha, 'EXAMPLE')).toBe(true);
    expect(matchesStaff(asha, 'rahul')).toBe(false);
    expect(matchesStaff({ name: 'অনিতা দাস', email: 'a@x.in' }, 'অনিতা')).toBe(true);
  });

  it('knows when someone is the last active admin', () => {
    const staff = [
      { id: '1', role: 'admin', status: 'active' },
      { id: '2', role: 'admin', status: 'disabled' },
      { id: '3', role: 'agent', status: 'active' },
    ];
    expect(isLastActiveAdmin(staff, '1')).toBe(true);
    expect(isLastActiveAdmin([...staff, { id: '4', role: 'admin', status: 'active' }], '1')).toBe(false);
  });
});
