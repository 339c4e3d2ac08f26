import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Candidate, chooseAssignee, type Needs, type Strategy } from './choose-assignee.ts';

const person = (id: string, over: Partial<Candidate> = {}): Candidate => ({
  id,
  available: true,
  openTickets: 0,
  maxOpenTickets: 20,
  weightedLoad: 0,
  skills: {},
  languages: { en: 3 },
  ...over,
});
const none: Needs = { skills: [], language: null };

const candidateArb = fc.record({
  id: fc.uuid(),
  available: fc.boolean(),
  openTickets: fc.integer({ min: 0, max: 10 }),
  maxOpenTickets: fc.integer({ min: 0, max: 10 }),
  weightedLoad: fc.integer({ min: 0, max: 40 }),
  skills: fc.dictionary(fc.constantFrom('refunds', 'plumbing', 'billing'), fc.integer({ min: 1, max: 5 })),
  languages: fc.dictionary(fc.constantFrom('en', 'bn', 'hi'), fc.integer({ min: 1, max: 5 })),
});
const needsArb = fc.record({ skills: fc.subarray(['refunds', 'plumbing', 'billing']), language: fc.option(fc.constantFrom('en', 'bn', 'hi'), { nil: null }) });
const strategyArb = fc.constantFrom<Strategy>('round_robin', 'least_loaded', 'skills');

describe('choosing an assignee', () => {
  it('never picks someone unavailable, at capacity or without the language (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(candidateArb, { selector: (c) => c.id, maxLength: 8 }), strategyArb, needsArb, fc.option(fc.uuid(), { nil: null }), (people, strategy, needs, last) => {
        const choice = chooseAssignee(people, strategy, needs, last);
        if (choice.userId === null) {
          // nobody was left out who could have taken it
          expect(people.some((p) => p.available && p.openTickets < p.maxOpenTickets && (!needs.language || (p.languages[needs.language] ?? 0) > 0))).toBe(false);
          return;
        }
        const c = people.find((p) => p.id === choice.userId);
        expect(c?.available).toBe(true);
        expect((c?.openTickets ?? 99) < (c?.maxOpenTickets ?? 0)).toBe(true);
        if (needs.language) expect(c?.languages[needs.language] ?? 0).toBeGreaterThan(0);
      }),
    );
  });

  it('shares round robin fairly over N tickets (property: counts differ by at most one)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 60 }), (size, n) => {
        const people = Array.from({ length: size }, (_, i) => person(`00000000-0000-4000-8000-00000000000${i}`));
        const counts = new Map<string, number>();
        let last: string | null = null;
        for (let i = 0; i < n; i += 1) {
          const c = chooseAssignee(people, 'round_robin', none, last);
          expect(c.userId).not.toBeNull();
          last = c.userId;
          counts.set(c.userId as string, (counts.get(c.userId as string) ?? 0) + 1);
        }
        const values = people.map((p) => counts.get(p.id) ?? 0);
        expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('gives least loaded to the lightest weighted load, and skills to the best match', () => {
    const a = person('a', { weightedLoad: 6, skills: { plumbing: 5 } });
    const b = person('b', { weightedLoad: 2 });
    const c = person('c', { weightedLoad: 3, skills: { plumbing: 2 } });
    expect(chooseAssignee([a, b, c], 'least_loaded', none, null)).toEqual({ userId: 'b', reason: 'least_loaded' });
    expect(chooseAssignee([a, b, c], 'skills', { skills: ['plumbing'], language: null }, null)).toEqual({ userId: 'a', reason: 'skills' });
    expect(chooseAssignee([a, b, c], 'skills', { skills: ['plumbing'], language: 'bn' }, null)).toEqual({ userId: null, reason: 'no_one_speaks_bn' });
    expect(chooseAssignee([a, b, c], 'manual', none, null)).toEqual({ userId: null, reason: 'manual' });
    expect(chooseAssignee([person('x', { available: false })], 'least_loaded', none, null)).toEqual({ userId: null, reason: 'nobody_available' });
    expect(chooseAssignee([person('x', { openTickets: 3, maxOpenTickets: 3 })], 'round_robin', none, null)).toEqual({ userId: null, reason: 'all_at_capacity' });
  });
});
