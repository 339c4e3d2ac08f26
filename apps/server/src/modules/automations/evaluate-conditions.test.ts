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
