import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChatCandidate, hasChatCapacity } from './chat-candidates.ts';
import { chooseChatAgent } from './choose-chat-agent.ts';

const candidateArb: fc.Arbitrary<ChatCandidate> = fc.record({
  id: fc.uuid(),
  name: fc.constant('x'),
  available: fc.boolean(),
  activeChats: fc.integer({ min: 0, max: 5 }),
  offeredChats: fc.integer({ min: 0, max: 3 }),
  maxChats: fc.integer({ min: 0, max: 5 }),
  languages: fc.dictionary(fc.constantFrom('en', 'bn', 'hi'), fc.integer({ min: 0, max: 5 })),
  isTeamMember: fc.boolean(),
});
const needsArb = fc.record({ language: fc.option(fc.constantFrom('en', 'bn', 'hi'), { nil: null }), teamId: fc.constant(null) });

describe('chooseChatAgent', () => {
  it('never chooses someone unavailable, at capacity or excluded, and chooses someone whenever anyone qualifies', () => {
    fc.assert(
      fc.property(fc.uniqueArray(candidateArb, { selector: (c) => c.id, maxLength: 8 }), needsArb, fc.array(fc.nat(7)), (cands, needs, ex) => {
        const exclude = new Set(ex.map((i) => cands[i]?.id).filter((x): x is string => Boolean(x)));
        const chosen = chooseChatAgent(cands, { ...needs, exclude });
        const qualifying = cands.filter((c) => hasChatCapacity(c) && !exclude.has(c.id));
        if (qualifying.length === 0) expect(chosen).toBeNull();
        else {
          expect(chosen).not.toBeNull();
          expect(hasChatCapacity(chosen as ChatCandidate)).toBe(true);
          expect(exclude.has((chosen as ChatCandidate).id)).toBe(false);
          // a team member is never passed over for an outsider
          if (qualifying.some((c) => c.isTeamMember)) expect(chosen?.isTeamMember).toBe(true);
        }
      }),
    );
  });

  it('prefers a team member who speaks the language, then the lighter load', () => {
    const base = { name: 'x', available: true, offeredChats: 0, maxChats: 3 };
    const cands: ChatCandidate[] = [
      { ...base, id: 'a', activeChats: 0, languages: { en: 5 }, isTeamMember: true },
      { ...base, id: 'b', activeChats: 2, languages: { bn: 4 }, isTeamMember: true },
      { ...base, id: 'c', activeChats: 0, languages: { bn: 5 }, isTeamMember: false },
      { ...base, id: 'd', activeChats: 1, languages: { bn: 3 }, isTeamMember: true },
    ];
    expect(chooseChatAgent(cands, { teamId: 't', language: 'bn', exclude: new Set() })?.id).toBe('d');
    expect(chooseChatAgent(cands, { teamId: 't', language: 'bn', exclude: new Set(['d', 'b']) })?.id).toBe('a');
    expect(chooseChatAgent(cands, { teamId: 't', language: 'en', exclude: new Set() })?.id).toBe('a');
  });
});
