import { describe, expect, it } from 'vitest';
import { conditionHolds, conditionsHold, fillTemplate, type RuleFacts } from './evaluate-conditions.ts';

const facts: RuleFacts = {
  status: 'pending',
  priority: 'high',
  type: 'question',
  channel: 'email',
  category_id: null,
  team_id: 't1',
  assignee_id: null,
  organisation_id: null,
  customer_tier: 'Gold',
  customer_attributes: { plan: 'Pro', seats: 12, beta: false, regions: ['Dhaka', 'Pune'], empty: '', nothing: null, অঞ্চল: 'ঢাকা উত্তর' },
  language: 'bn',
  tags: ['vip', 'refund'],
  subject: 'টাকা ফেরত চাই — refund please',
  survey_rating: 2,
  hours_since_created: 80,
  hours_since_updated: 75,
  hours_in_status: 73,
  hours_since_customer_message: 74,
};

describe('rule conditions', () => {
  it('compares fields, lists, tags and text without caring about case', () => {
    expect(conditionHolds({ field: 'status', op: 'is', value: 'PENDING' }, facts)).toBe(true);
    expect(conditionHolds({ field: 'priority', op: 'in', value: ['urgent', 'high'] }, facts)).toBe(true);
    expect(conditionHolds({ field: 'priority', op: 'not_in', value: ['urgent', 'high'] }, facts)).toBe(false);
    expect(conditionHolds({ field: 'tags', op: 'contains', value: ['VIP'] }, facts)).toBe(true);
    expect(conditionHolds({ field: 'tags', op: 'not_contains', value: 'spam' }, facts)).toBe(true);
    expect(conditionHolds({ field: 'subject', op: 'contains', value: 'ফেরত' }, facts)).toBe(true);
    expect(conditionHolds({ field: 'customer_tier', op: 'is', value: 'gold' }, facts)).toBe(true);
    expect(conditionHolds({ field: 'assignee_id', op: 'is_empty' }, facts)).toBe(true);
    expect(conditionHolds({ field: 'team_id', op: 'is_not', value: 't1' }, facts)).toBe(false);
  });

  it('compares hours as numbers', () => {
    expect(conditionHolds({ field: 'hours_in_status', op: 'gte', value: 72 }, facts)).toBe(true);
    expect(conditionHolds({ field: 'hours_in_status', op: 'gte', value: 168 }, facts)).toBe(false);
    expect(conditionHolds({ field: 'hours_in_status', op: 'lte', value: '72' as unknown as number }, facts)).toBe(false);
    expect(conditionHolds({ field: 'survey_rating', op: 'lte', value: 2 }, facts)).toBe(true);
    expect(conditionHolds({ field: 'survey_rating', op: 'lte', value: 2 }, { ...facts, survey_rating: null })).toBe(false);
  });

  it('compares a customer attribute by its exact key, its value as text without caring about case', () => {
    const attr = (op: 'is' | 'is_not' | 'contains' | 'present' | 'absent', key: string, value?: string) =>
      conditionHolds({ field: 'customer_attribute', key, op, ...(value !== undefined ? { value } : {}) }, facts);
    expect(attr('is', 'plan', 'pro')).toBe(true);
    expect(attr('is', 'Plan', 'pro')).toBe(false);
    expect(attr('is', 'seats', '12')).toBe(true);
    expect(attr('is', 'beta', 'false')).toBe(true);
    expect(attr('is', 'regions', 'pune')).toBe(true);
    expect(attr('is_not', 'plan', 'pro')).toBe(false);
    expect(attr('is_not', 'plan', 'free')).toBe(true);
    // a customer without the attribute "is not" anything
    expect(attr('is_not', 'missing', 'pro')).toBe(true);
    expect(attr('contains', 'অঞ্চল', 'ঢাকা')).toBe(true);
    expect(attr('contains', 'regions', 'dha')).toBe(true);
    expect(attr('contains', 'plan', 'enterprise')).toBe(false);
    expect(attr('present', 'beta')).toBe(true);
    expect(attr('present', 'seats')).toBe(true);
    expect(attr('present', 'empty')).toBe(false);
    expect(attr('absent', 'nothing')).toBe(true);
    expect(attr('absent', 'missing')).toBe(true);
    expect(attr('absent', 'plan')).toBe(false);
    // inherited properties are not attributes
    expect(attr('present', 'constructor')).toBe(false);
  });

  it('needs all of "all" and one of "any"', () => {
    const all = [{ field: 'status' as const, op: 'is' as const, value: 'pending' }];
    expect(conditionsHold({ all, any: [] }, facts)).toBe(true);
    expect(conditionsHold({ all, any: [{ field: 'channel', op: 'is', value: 'chat' }] }, facts)).toBe(false);
    expect(conditionsHold({ all, any: [{ field: 'channel', op: 'is', value: 'chat' }, { field: 'language', op: 'is', value: 'bn' }] }, facts)).toBe(true);
  });

  it('fills placeholders as text and leaves unknown ones alone', () => {
    expect(fillTemplate('Hi {{customer.name}}, about #{{ ticket.number }} {{nope}}', { 'customer.name': '<b>Rina</b>', 'ticket.number': '1042' })).toBe(
      'Hi <b>Rina</b>, about #1042 {{nope}}',
    );
  });
});
