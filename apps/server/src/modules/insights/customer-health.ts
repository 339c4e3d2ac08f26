import type { CUSTOMER_RISK_REASONS } from '@seva/contracts';

export type RiskReason = (typeof CUSTOMER_RISK_REASONS)[number];

export interface CustomerSignals {
  /** most tickets opened within any 7 days */
  maxContactsIn7Days: number;
  reopened: number;
  negativeMessages: number;
  badRatings: number;
  slowResponses: number;
  /** complained (bad rating or negative message) and has not been in touch for 14 days since */
  silentAfterComplaint: boolean;
}

/** Points off a health of 100 per signal (capped per signal), so one noisy signal cannot zero a customer. */
export const WEIGHTS: Record<RiskReason, { per: number; max: number }> = {
  repeat_contacts: { per: 15, max: 15 },
  reopened: { per: 10, max: 20 },
  negative_sentiment: { per: 10, max: 20 },
  bad_rating: { per: 25, max: 40 },
  slow_response: { per: 10, max: 20 },
  silent_after_complaint: { per: 15, max: 15 },
};

/** The health score (0 … 100) and the reasons behind it, strongest first. */
export function customerHealth(s: CustomerSignals): { health: number; reasons: Array<{ reason: RiskReason; count: number }> } {
  const counts: Record<RiskReason, number> = {
    repeat_contacts: s.maxContactsIn7Days >= 3 ? s.maxContactsIn7Days : 0,
    reopened: s.reopened,
    negative_sentiment: s.negativeMessages,
    bad_rating: s.badRatings,
    slow_response: s.slowResponses,
    silent_after_complaint: s.silentAfterComplaint ? 1 : 0,
  };
  let health = 100;
  const reasons: Array<{ reason: RiskReason; count: number; points: number }> = [];
  for (const [reason, count] of Object.entries(counts) as Array<[RiskReason, number]>) {
    if (count <= 0) continue;
    const w = WEIGHTS[reason];
    const points = reason === 'repeat_contacts' || reason === 'silent_after_complaint' ? w.max : Math.min(w.max, w.per * count);
    health -= points;
    reasons.push({ reason, count, points });
  }
  reasons.sort((a, b) => b.points - a.points || a.reason.localeCompare(b.reason));
  return { health: Math.max(0, health), reasons: reasons.map(({ reason, count }) => ({ reason, count })) };
}
