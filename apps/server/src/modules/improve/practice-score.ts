/** A practice reply's score 0..100 from criterion scores 0..4 and weights (a quality scorecard's, or equal ones). */
export const DEFAULT_CRITERIA = [
  { key: 'accuracy', weight: 3 },
  { key: 'empathy', weight: 2 },
  { key: 'clarity', weight: 2 },
  { key: 'policy', weight: 1 },
] as const;

export function weightedScore(
  criteria: ReadonlyArray<{ key: string; weight: number }>,
  scores: Readonly<Record<string, number>>,
): { score: number; missing: string[] } {
  const missing = criteria.filter((c) => scores[c.key] === undefined).map((c) => c.key);
  const total = criteria.reduce((s, c) => s + Math.max(0, c.weight), 0);
  if (total === 0) return { score: 0, missing };
  const got = criteria.reduce((s, c) => s + Math.max(0, c.weight) * Math.min(4, Math.max(0, scores[c.key] ?? 0)), 0);
  return { score: Math.round((got / (4 * total)) * 100), missing };
}
