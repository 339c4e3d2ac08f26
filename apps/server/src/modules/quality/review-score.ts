import { QUALITY_MAX_SCORE } from '@seva/contracts';
import type { ScorecardCriterion } from '../../platform/db/schema/index.ts';

/**
 * The weighted score of a review, 0 … 100: Σ weight × (score / max) / Σ weight. Every criterion of the scorecard
 * must be scored, and nothing else.
 */
export function weightedScore(
  criteria: ScorecardCriterion[],
  scores: Record<string, number>,
): { score: number; problems: string[] } {
  const problems: string[] = [];
  const keys = new Set(criteria.map((c) => c.key));
  for (const k of Object.keys(scores)) if (!keys.has(k)) problems.push(`${k}: not a criterion of this scorecard`);
  let total = 0;
  let weights = 0;
  for (const c of criteria) {
    const s = scores[c.key];
    if (s === undefined) {
      problems.push(`${c.key}: not scored`);
      continue;
    }
    if (!Number.isInteger(s) || s < 0 || s > QUALITY_MAX_SCORE)
      problems.push(`${c.key}: must be 0…${QUALITY_MAX_SCORE}`);
    total += c.weight * (s / QUALITY_MAX_SCORE);
    weights += c.weight;
  }
  return { score: weights === 0 ? 0 : Math.round((total / weights) * 10_000) / 100, problems };
}
