import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { messages, staffUsers, ticketCollaborators } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import type { TicketHookEvent } from '../../platform/ticket-hooks.ts';

export interface Mentionable {
  id: string;
  name: string;
  email: string;
}

/**
 * People mentioned in a text as `@Full Name` (any script, any case) or `@local-part` of their email. Longer names win,
 * so "@Asha Rahman" is Asha Rahman even when someone is called "Asha".
 */
export function findMentions(text: string, people: readonly Mentionable[]): string[] {
  const hay = text.normalize('NFC').toLocaleLowerCase();
  if (!hay.includes('@')) return [];
  const found = new Set<string>();
  const taken: Array<[number, number]> = [];
  const candidates = people
    .flatMap((p) => [
      { id: p.id, token: p.name.normalize('NFC').toLocaleLowerCase().trim() },
      { id: p.id, token: (p.email.split('@')[0] ?? '').toLowerCase() },
    ])
    .filter((c) => c.token.length >= 2)
    .sort((a, b) => b.token.length - a.token.length);
  for (const c of candidates) {
    let from = 0;
    for (;;) {
      const at = hay.indexOf(`@${c.token}`, from);
      if (at < 0) break;
      const end = at + c.token.length + 1;
      const next = hay[end];
      // the mention ends at a word boundary (not "@asha" inside "@ashanti")
      const boundary = next === undefined || !/[\p{L}\p{M}\p{N}_.-]/u.test(next);
      if (boundary && !taken.some(([s, e]) => at < e && end > s)) {
        taken.push([at, end]);
        found.add(c.id);
      }
      from = at + 1;
    }
  }
  return [...found];
}

/**
 * A staff message mentioning colleagues brings them in: they become collaborators (so they can see and answer the
 * ticket) and get a live notification. Ticket hook for `message` events.
 */
export async function handleMentions(tx: DbOrTx, e: TicketHookEvent): Promise<void> {
  if (e.kind !== 'message' || e.authorType !== 'staff' || e.messageKind === 'system') return;
  const [m] = e.message
    ? [{ body: e.message.bodyText, author: e.message.authorStaffId }]
    : await tx
        .select({ body: messages.bodyText, author: messages.authorStaffId })
        .from(messages)
        .where(eq(messages.id, e.messageId));
  if (!m?.body.includes('@')) return;
  const people = await tx
    .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email })
    .from(staffUsers)
    .where(eq(staffUsers.status, 'active'));
  const mentioned = findMentions(m.body, people).filter((id) => id !== m.author);
  if (mentioned.length === 0) return;
  for (const userId of mentioned) {
    await tx
      .insert(ticketCollaborators)
      .values({ ticketId: e.ticketId, userId, addedById: m.author ?? null })
      .onConflictDoNothing();
  }
  await recordEvent(tx, {
    type: 'ticket.mentioned',
    actor: e.actor,
    ticketId: e.ticketId,
    payload: { messageId: e.messageId, notify: mentioned, by: m.author },
    at: e.now,
  });
}
