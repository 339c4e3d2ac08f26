import type pg from 'pg';

/** Who, besides staff who see every ticket, may see one ticket: its assignee and its collaborators. */
export interface TicketAudience {
  exists: boolean;
  userIds: ReadonlySet<string>;
}

const TTL_MS = 2000;
const MAX_ENTRIES = 2000;

/**
 * Looks up a ticket's audience once per event (not once per socket) and keeps it for a moment, so a burst of
 * messages on one ticket costs one query. Events that may change the audience (anything `ticket.*`) always
 * read it fresh.
 */
export class TicketAudienceCache {
  private readonly entries = new Map<string, { at: number; audience: TicketAudience }>();

  constructor(private readonly pool: pg.Pool) {}

  async get(ticketId: string, opts: { fresh: boolean }): Promise<TicketAudience> {
    const now = Date.now();
    const hit = this.entries.get(ticketId);
    if (hit && !opts.fresh && now - hit.at < TTL_MS) return hit.audience;
    const { rows } = await this.pool.query<{ assignee_id: string | null; collaborator_ids: string[] }>(
      `SELECT t.assignee_id,
              ARRAY(SELECT c.user_id::text FROM ticket_collaborators c WHERE c.ticket_id = t.id) AS collaborator_ids
         FROM tickets t WHERE t.id = $1`,
      [ticketId],
    );
    const row = rows[0];
    const userIds = new Set<string>(row?.collaborator_ids ?? []);
    if (row?.assignee_id) userIds.add(row.assignee_id);
    const audience: TicketAudience = { exists: Boolean(row), userIds };
    this.entries.delete(ticketId);
    this.entries.set(ticketId, { at: now, audience });
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return audience;
  }
}
