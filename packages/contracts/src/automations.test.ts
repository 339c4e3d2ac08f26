import { describe, expect, it } from 'vitest';
import { Condition, Conditions } from './automations.ts';

const problems = (c: unknown) => {
  const r = Condition.safeParse(c);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('customer attribute conditions', () => {
  it('take a key, an operator among is, is_not, contains, present, absent, and a value when they compare', () => {
    expect(problems({ field: 'customer_attribute', key: 'plan', op: 'is', value: 'pro' })).toEqual([]);
    expect(problems({ field: 'customer_attribute', key: 'account_manager', op: 'contains', value: 'Rina' })).toEqual(
      [],
    );
    expect(problems({ field: 'customer_attribute', key: 'অঞ্চল', op: 'is_not', value: 'ঢাকা' })).toEqual([]);
    expect(problems({ field: 'customer_attribute', key: 'क्षेत्र-2', op: 'present' })).toEqual([]);
    expect(problems({ field: 'customer_attribute', key: 'beta', op: 'absent', value: null })).toEqual([]);
    expect(Conditions.parse({ all: [{ field: 'customer_attribute', key: 'plan', op: 'present' }] })).toEqual({
      all: [{ field: 'customer_attribute', key: 'plan', op: 'present' }],
      any: [],
    });
  });

  it('refuse keys that are missing or malformed, with the reason at the key', () => {
    expect(problems({ field: 'customer_attribute', op: 'present' })).toEqual([
      'key: name the customer attribute, e.g. plan',
    ]);
    for (const key of ['', ' plan', 'plan tier', '_plan', 'a.b', 'plan!', 'x'.repeat(101)]) {
      const p = problems({ field: 'customer_attribute', key, op: 'present' });
      expect(p, key).toHaveLength(1);
      expect(p[0], key).toMatch(/^key: /);
    }
  });

  it('refuse other operators and missing values, and keys or present/absent on other fields', () => {
    expect(problems({ field: 'customer_attribute', key: 'plan', op: 'in', value: ['pro'] })).toEqual([
      'op: a customer attribute is compared with is, is_not, contains, present, absent',
    ]);
    expect(problems({ field: 'customer_attribute', key: 'plan', op: 'is' })[0]).toMatch(/^value: give the text/);
    expect(problems({ field: 'customer_attribute', key: 'plan', op: 'is', value: ['pro'] })[0]).toMatch(/^value: /);
    expect(problems({ field: 'customer_attribute', key: 'plan', op: 'present', value: 'x' })).toEqual([
      'value: present takes no value',
    ]);
    expect(problems({ field: 'channel', key: 'plan', op: 'is', value: 'email' })).toEqual([
      'key: only customer_attribute conditions name a key',
    ]);
    expect(problems({ field: 'channel', op: 'present' })[0]).toMatch(/^op: present is for customer_attribute/);
  });
});
