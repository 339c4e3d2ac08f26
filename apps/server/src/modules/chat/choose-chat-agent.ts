import { type ChatCandidate, hasChatCapacity } from './chat-candidates.ts';

export interface ChatNeeds {
  /** the ticket's team: its members come first */
  teamId: string | null;
  /** the ticket's language (en, bn, hi …): people who speak it come first */
  language: string | null;
  /** people who already let this chat pass */
  exclude: ReadonlySet<string>;
}

/**
 * Who is offered a chat: among people available with chat capacity (and not excluded), team members before others,
 * speakers of the chat's language before others, then the fewest chats in hand, then the longest-known id (stable).
 * Pure; the caller holds the offer lock so loads are current.
 */
export function chooseChatAgent(candidates: readonly ChatCandidate[], needs: ChatNeeds): ChatCandidate | null {
  const pool = candidates.filter((c) => hasChatCapacity(c) && !needs.exclude.has(c.id));
  const speaks = (c: ChatCandidate) => (needs.language ? (c.languages[needs.language] ?? 0) > 0 : true);
  const rank = (c: ChatCandidate) => (c.isTeamMember ? 0 : 2) + (speaks(c) ? 0 : 1);
  const sorted = [...pool].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.activeChats + a.offeredChats - (b.activeChats + b.offeredChats) ||
      (b.languages[needs.language ?? ''] ?? 0) - (a.languages[needs.language ?? ''] ?? 0) ||
      a.id.localeCompare(b.id),
  );
  return sorted[0] ?? null;
}
