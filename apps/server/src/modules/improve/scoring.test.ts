import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Award, awardForFollowup, awardForSlaOutcome, awardsForStatusChange, POINTS } from './scoring.ts';

/** Replays a status history through the rules, keeping the ledger the way the database does (unique keys). */
function replay(statuses: string[], opts: { replies: number; assignee?: string }) {
  const ledger = new Map<string, Award>();
  let reopens = 0;
  let from = 'new';
  for (const to of statuses) {
    if (to === from) continue;
    const solve = ledger.get('solve:t');
    const fcr = ledger.get('fcr:t');
    const revoked = ledger.has('fcr-revoked:t');
    const awards = awardsForStatusChange({
      ticketId: 't',
      from,
      to,
      assigneeId: opts.assignee ?? 'a',
      staffPublicReplies: opts.replies,
      previousReopens: reopens,
      solveAwardedTo: solve?.staffId ?? null,
      fcrAwardedTo: fcr && !revoked ? fcr.staffId : null,
    });
    for (const a of awards) if (!ledger.has(a.key)) ledger.set(a.key, a);
    if ((from === 'solved' || from === 'closed') && to !== 'solved' && to !== 'closed') reopens += 1;
    from = to;
  }
  return [...ledger.values()].reduce((sum, a) => sum + a.points, 0);
}

describe('recognition scoring', () => {
  it('rewards a first-contact resolution more than a long back-and-forth', () => {
    expect(replay(['open', 'solved'], { replies: 1 })).toBe(POINTS.solved + POINTS.firstContactResolution);
    expect(replay(['open', 'pending', 'open', 'solved'], { replies: 3 })).toBe(POINTS.solved);
  });

  it('takes points back on a reopen, including the first-contact bonus', () => {
    expect(replay(['open', 'solved', 'open'], { replies: 1 })).toBe(POINTS.solved + POINTS.reopened);
    expect(replay(['open', 'solved', 'open', 'solved'], { replies: 1 })).toBe(POINTS.solved + POINTS.reopened);
  });

  it('never pays for solve/reopen cycles: each extra cycle costs points (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 5 }), (cycles, replies) => {
        const history = (k: number) => ['open', ...Array.from({ length: k }, () => ['solved', 'open']).flat(), 'solved'];
        const base = replay(history(0), { replies });
        const gamed = replay(history(cycles), { replies });
        const more = replay(history(cycles + 1), { replies });
        return gamed <= base && more < gamed + 0.5 && (cycles === 0 || gamed < base);
      }),
    );
  });

  it('never gives more than one honest solve is worth, whatever the status history (property)', () => {
    const status = fc.constantFrom('open', 'pending', 'on_hold', 'solved', 'closed');
    fc.assert(
      fc.property(fc.array(status, { maxLength: 30 }), fc.integer({ min: 0, max: 4 }), (history, replies) => {
        return replay(history, { replies }) <= POINTS.solved + POINTS.firstContactResolution;
      }),
    );
  });

  it('gives nothing for a solve nobody was assigned to', () => {
    expect(
      awardsForStatusChange({
        ticketId: 't',
        from: 'open',
        to: 'solved',
        assigneeId: null,
        staffPublicReplies: 1,
        previousReopens: 0,
        solveAwardedTo: null,
        fcrAwardedTo: null,
      }),
    ).toEqual([]);
  });
});

describe('follow-up and SLA awards', () => {
  it('gives a follow-up one award, kept or missed', () => {
    expect(awardForFollowup({ followupId: 'f1', ownerId: 'u1', kept: true })).toEqual({ staffId: 'u1', reason: 'followup_kept', points: 2, key: 'followup:f1' });
    expect(awardForFollowup({ followupId: 'f1', ownerId: 'u1', kept: false })).toMatchObject({ points: -2, key: 'followup:f1' });
  });

  it('counts kept first responses and resolutions only, once per cycle', () => {
    expect(awardForSlaOutcome({ ticketId: 't', metric: 'first_response', cycle: 1, achieved: true, assigneeId: 'u' })).toEqual({ staffId: 'u', reason: 'sla_kept', points: 1, key: 'sla:t:first_response:1' });
    expect(awardForSlaOutcome({ ticketId: 't', metric: 'next_response', cycle: 3, achieved: true, assigneeId: 'u' })).toBeNull();
    expect(awardForSlaOutcome({ ticketId: 't', metric: 'resolution', cycle: 1, achieved: false, assigneeId: 'u' })).toBeNull();
    expect(awardForSlaOutcome({ ticketId: 't', metric: 'resolution', cycle: 1, achieved: true, assigneeId: null })).toBeNull();
  });
});
