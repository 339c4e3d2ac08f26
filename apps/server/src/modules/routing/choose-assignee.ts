/**
 * Who gets the next ticket of a team: pure, property-tested (choose-assignee.test.ts). Loads and availability come
 * from the database under a per-team lock (assign-ticket.ts), so two tickets arriving at once see each other.
 */
export type Strategy = 'manual' | 'round_robin' | 'least_loaded' | 'skills';

export interface Candidate {
  id: string;
  /** may take work now: online, not on time off, routable or on a duty shift */
  available: boolean;
  openTickets: number;
  maxOpenTickets: number;
  /** open tickets weighted by priority (urgent 4, high 2, normal 1, low 1) */
  weightedLoad: number;
  skills: Record<string, number>;
  languages: Record<string, number>;
}

export interface Needs {
  skills: string[];
  language: string | null;
}

export const PRIORITY_WEIGHT: Record<string, number> = { urgent: 4, high: 2, normal: 1, low: 1 };

export type Choice = { userId: string; reason: string } | { userId: null; reason: string };

function eligible(c: Candidate, needs: Needs): boolean {
  if (!c.available || c.openTickets >= c.maxOpenTickets) return false;
  if (needs.language && !((c.languages[needs.language] ?? 0) > 0)) return false;
  return true;
}

const byLoad = (a: Candidate, b: Candidate) => a.weightedLoad - b.weightedLoad || a.openTickets - b.openTickets || a.id.localeCompare(b.id);

export function chooseAssignee(candidates: readonly Candidate[], strategy: Strategy, needs: Needs, lastAssigneeId: string | null): Choice {
  if (strategy === 'manual') return { userId: null, reason: 'manual' };
  if (candidates.length === 0) return { userId: null, reason: 'no_members' };
  if (!candidates.some((c) => c.available)) return { userId: null, reason: 'nobody_available' };
  const pool = candidates.filter((c) => eligible(c, needs));
  if (pool.length === 0) {
    const languageBlocks = needs.language && candidates.some((c) => c.available && c.openTickets < c.maxOpenTickets);
    return { userId: null, reason: languageBlocks ? `no_one_speaks_${needs.language}` : 'all_at_capacity' };
  }
  if (strategy === 'round_robin') {
    // the next one after the last assignee, in a fixed order (the ring skips whoever cannot take work now)
    const ring = [...pool].sort((a, b) => a.id.localeCompare(b.id));
    const next = ring.find((c) => lastAssigneeId !== null && c.id > lastAssigneeId) ?? ring[0];
    return next ? { userId: next.id, reason: 'round_robin' } : { userId: null, reason: 'nobody_available' };
  }
  if (strategy === 'skills' && needs.skills.length > 0) {
    const score = (c: Candidate) => needs.skills.reduce((s, k) => s + (c.skills[k] ?? 0), 0);
    const matched = (c: Candidate) => needs.skills.filter((k) => (c.skills[k] ?? 0) > 0).length;
    const best = [...pool].sort((a, b) => matched(b) - matched(a) || score(b) - score(a) || byLoad(a, b))[0];
    if (best) return { userId: best.id, reason: matched(best) > 0 ? 'skills' : 'skills_none_matched_least_loaded' };
  }
  const least = [...pool].sort(byLoad)[0];
  return least ? { userId: least.id, reason: 'least_loaded' } : { userId: null, reason: 'nobody_available' };
}
