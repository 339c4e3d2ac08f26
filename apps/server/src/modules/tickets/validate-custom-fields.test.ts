import { describe, expect, it } from 'vitest';
import { type CustomFieldDefinition, mergeCustomFieldValues, validateCustomFields } from './validate-custom-fields.ts';

const defs: CustomFieldDefinition[] = [
  { key: 'order_ref', label: 'Order reference', fieldType: 'text', options: [], isRequired: true },
  { key: 'amount', label: 'Amount', fieldType: 'number', options: [], isRequired: false },
  { key: 'purchased_on', label: 'Purchased on', fieldType: 'date', options: [], isRequired: false },
  {
    key: 'plan',
    label: 'Plan',
    fieldType: 'dropdown',
    options: [{ value: 'free' }, { value: 'pro' }],
    isRequired: false,
  },
  { key: 'vip', label: 'VIP', fieldType: 'checkbox', options: [], isRequired: false },
];

describe('validateCustomFields', () => {
  it('accepts good values of every type', () => {
    const r = validateCustomFields(defs, {
      order_ref: ' A-1 ',
      amount: 12.5,
      purchased_on: '2024-02-29',
      plan: 'pro',
      vip: true,
    });
    expect(r).toEqual({
      ok: true,
      values: { order_ref: 'A-1', amount: 12.5, purchased_on: '2024-02-29', plan: 'pro', vip: true },
    });
  });

  it('names each bad field in its error', () => {
    const r = validateCustomFields(defs, {
      order_ref: 5,
      amount: '12',
      purchased_on: '2023-02-29',
      plan: 'gold',
      vip: 'yes',
      colour: 'red',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path).sort()).toEqual([
      'customFields.amount',
      'customFields.colour',
      'customFields.order_ref',
      'customFields.plan',
      'customFields.purchased_on',
      'customFields.vip',
    ]);
    expect(r.errors.find((e) => e.path === 'customFields.plan')?.message).toContain('free, pro');
  });

  it('requires required fields on create but not on update', () => {
    const created = validateCustomFields(defs, { amount: 1 });
    expect(created).toEqual({
      ok: false,
      errors: [{ path: 'customFields.order_ref', message: 'Order reference is required' }],
    });
    expect(validateCustomFields(defs, { amount: 1 }, { mode: 'update' })).toEqual({ ok: true, values: { amount: 1 } });
  });

  it('refuses to clear a required field and lets optional ones be cleared on update', () => {
    expect(validateCustomFields(defs, { order_ref: null }, { mode: 'update' }).ok).toBe(false);
    expect(validateCustomFields(defs, { order_ref: '  ' }, { mode: 'create' }).ok).toBe(false);
    const r = validateCustomFields(defs, { amount: null }, { mode: 'update' });
    expect(r).toEqual({ ok: true, values: { amount: null } });
    expect(mergeCustomFieldValues({ amount: 3, plan: 'pro' }, { amount: null, vip: false })).toEqual({
      plan: 'pro',
      vip: false,
    });
  });

  it('refuses dates that are not yyyy-mm-dd or do not exist', () => {
    for (const bad of ['2024-13-01', '2024-1-01', '01/02/2024', '2024-02-30T00:00:00Z']) {
      expect(validateCustomFields(defs, { order_ref: 'x', purchased_on: bad }).ok, bad).toBe(false);
    }
  });

  it('refuses numbers that are not finite', () => {
    expect(validateCustomFields(defs, { order_ref: 'x', amount: Number.NaN }).ok).toBe(false);
  });
});
