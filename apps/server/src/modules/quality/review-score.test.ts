import { describe, expect, it } from 'vitest';
import { weightedScore } from './review-score.ts';

const criteria = [
  { key: 'greeting', label: 'Greets the customer', weight: 1 },
  { key: 'accuracy', label: 'Correct answer', weight: 3 },
];

describe('weighted review score', () => {
  it('weights criteria: greeting 4/4 (w1) and accuracy 2/4 (w3) give (1 + 1.5) / 4 = 62.5', () => {
    expect(weightedScore(criteria, { greeting: 4, accuracy: 2 })).toEqual({ score: 62.5, problems: [] });
    expect(weightedScore(criteria, { greeting: 0, accuracy: 0 }).score).toBe(0);
    expect(weightedScore(criteria, { greeting: 4, accuracy: 4 }).score).toBe(100);
  });

  it('refuses missing, unknown and out-of-range scores', () => {
    expect(weightedScore(criteria, { greeting: 4 }).problems).toEqual(['accuracy: not scored']);
    expect(weightedScore(criteria, { greeting: 4, accuracy: 5, tone: 1 }).problems).toEqual([
      'tone: not a criterion of this scorecard',
      'accuracy: must be 0…4',
    ]);
  });
});
