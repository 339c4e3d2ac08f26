/**
 * Recognition points for quality, not speed: pure rules over what happened to a ticket, unit- and property-tested.
 *
 * - solving a ticket: +2, once per ticket ever (key `solve:<ticket>`);
 * - solving it with a single public reply and no reopen (first-contact resolution): +3, once (`fcr:<ticket>`);
 * - every reopen after a solve: −3 for whoever was awarded the solve (`reopen:<ticket>:<n>`), and the first reopen
 *   also takes back the first-contact bonus (`fcr-revoked:<ticket>`).
 * So a solve → reopen → solve cycle always costs more than it earns: points cannot be farmed by cycling.
 * Kudos (+1) and passed practice (+2) are awards too; ratings (good +3, bad −3) and helpful votes on articles one
 * wrote (+1 each, capped) are counted from their own tables when a leaderboard is read.
 */
export const POINTS = {
  solved: 2,
  firstContactResolution: 3,
  reopened: -3,
  goodRating: 3,
  badRating: -3,
  kudos: 1,
  /** a reviewed practice scoring at least PRACTICE_PASS */
  practiceCompleted: 2,
  /** each "helpful" vote on an article the person wrote, at most HELPFUL_CAP points a period */
  helpfulArticleVote: 1,
  /** a follow-up after a transfer: the ticket was solved, or the owner got back to the customer, in time */
  followupKept: 2,
  followupMissed: -2,
  /** the first response or the resolution of their ticket met its SLA target */
  slaKept: 1,
} as const;

export const PRACTICE_PASS = 60;
export const HELPFUL_CAP = 10;

export interface Award {
  staffId: string;
  reason:
    | 'solved'
    | 'first_contact_resolution'
    | 'reopened'
    | 'first_contact_resolution_revoked'
    | 'kudos'
    | 'practice_completed'
    | 'followup_kept'
    | 'followup_missed'
    | 'sla_kept';
  points: number;
  key: string;
}

export interface StatusChangeFacts {
  ticketId: string;
  from: string;
  to: string;
  /** the assignee at the moment of the change */
  assigneeId: string | null;
  /** public staff replies on the ticket so far */
  staffPublicReplies: number;
  /** reopens before this change */
  previousReopens: number;
  /** who holds the solve award of this ticket, if anyone */
  solveAwardedTo: string | null;
  /** whether a first-contact bonus was awarded and not yet revoked */
  fcrAwardedTo: string | null;
}

const DONE = new Set(['solved', 'closed']);

export function awardsForStatusChange(f: StatusChangeFacts): Award[] {
  const awards: Award[] = [];
  if (f.to === 'solved' && !DONE.has(f.from)) {
    if (f.assigneeId && f.solveAwardedTo === null) {
      awards.push({ staffId: f.assigneeId, reason: 'solved', points: POINTS.solved, key: `solve:${f.ticketId}` });
      if (f.staffPublicReplies === 1 && f.previousReopens === 0) {
        awards.push({
          staffId: f.assigneeId,
          reason: 'first_contact_resolution',
          points: POINTS.firstContactResolution,
          key: `fcr:${f.ticketId}`,
        });
      }
    }
  } else if (DONE.has(f.from) && !DONE.has(f.to) && f.solveAwardedTo) {
    const n = f.previousReopens + 1;
    awards.push({ staffId: f.solveAwardedTo, reason: 'reopened', points: POINTS.reopened, key: `reopen:${f.ticketId}:${n}` });
    if (f.fcrAwardedTo) {
      awards.push({
        staffId: f.fcrAwardedTo,
        reason: 'first_contact_resolution_revoked',
        points: -POINTS.firstContactResolution,
        key: `fcr-revoked:${f.ticketId}`,
      });
    }
  }
  return awards;
}

/**
 * A follow-up owner's award, once per follow-up (`followup:<id>`): kept when the ticket was solved or the owner got
 * back to the customer before the due time, missed when the due time passed first. One key, so a follow-up counts once.
 */
export function awardForFollowup(f: { followupId: string; ownerId: string; kept: boolean }): Award {
  return f.kept
    ? { staffId: f.ownerId, reason: 'followup_kept', points: POINTS.followupKept, key: `followup:${f.followupId}` }
    : { staffId: f.ownerId, reason: 'followup_missed', points: POINTS.followupMissed, key: `followup:${f.followupId}` };
}

/**
 * SLA kept: +1 to the assignee when a first response or a resolution met its target, once per ticket, metric and
 * cycle (`sla:<ticket>:<metric>:<cycle>`). Missed targets take nothing (the load is not the agent's alone); next
 * responses and periodic updates are not counted, so nobody gains by a conversation's length.
 */
export function awardForSlaOutcome(o: { ticketId: string; metric: string; cycle: number; achieved: boolean; assigneeId: string | null }): Award | null {
  if (!o.achieved || !o.assigneeId || (o.metric !== 'first_response' && o.metric !== 'resolution')) return null;
  return { staffId: o.assigneeId, reason: 'sla_kept', points: POINTS.slaKept, key: `sla:${o.ticketId}:${o.metric}:${o.cycle}` };
}
