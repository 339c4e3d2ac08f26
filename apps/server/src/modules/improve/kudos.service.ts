import type { Kudos, SendKudosBody } from '@seva/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { StaffActor } from '../../platform/auth/permissions.ts';
import type { Deps } from '../../platform/deps.ts';
import { validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { findVisibleTicket } from '../tickets/index.ts';
import { iso, rows } from './improve.repository.ts';
import { insertAwards } from './recognition.hook.ts';
import { POINTS } from './scoring.ts';

type ServiceDeps = Pick<Deps, 'db' | 'clock'>;

interface KudosRow {
  id: string;
  to_id: string;
  to_name: string;
  from_id: string | null;
  from_name: string | null;
  ticket_id: string | null;
  ticket_number: string | null;
  ticket_subject: string | null;
  message: string;
  created_at: Date;
}

const SELECT = sql`SELECT k.id, k.to_staff_id AS to_id, ts.name AS to_name, k.from_staff_id AS from_id, fs.name AS from_name,
    k.ticket_id, t.number AS ticket_number, t.subject AS ticket_subject, k.message, k.created_at
  FROM kudos k JOIN staff_users ts ON ts.id = k.to_staff_id
  LEFT JOIN staff_users fs ON fs.id = k.from_staff_id LEFT JOIN tickets t ON t.id = k.ticket_id`;

const toDto = (r: KudosRow): Kudos => ({
  id: r.id,
  to: { id: r.to_id, name: r.to_name },
  from: r.from_id && r.from_name ? { id: r.from_id, name: r.from_name } : null,
  ticket:
    r.ticket_id && r.ticket_number && r.ticket_subject !== null
      ? { id: r.ticket_id, number: Number(r.ticket_number), subject: r.ticket_subject }
      : null,
  message: r.message,
  createdAt: iso(r.created_at),
});

/** A manager thanks someone, optionally for a ticket; the recipient is told live (kudos.received event). */
export async function sendKudos(deps: ServiceDeps, input: { actor: StaffActor; body: SendKudosBody }): Promise<Kudos> {
  const { actor, body } = input;
  const now = deps.clock.now();
  const id = await deps.db.transaction(async (tx) => {
    const [to] = await rows<{ status: string }>(tx, sql`SELECT status FROM staff_users WHERE id = ${body.toStaffId}`);
    const errors = [];
    if (!to) errors.push({ path: 'toStaffId', message: 'no such staff member' });
    else if (body.toStaffId === actor.userId) errors.push({ path: 'toStaffId', message: 'kudos are for someone else' });
    let ticketId: string | null = null;
    if (body.ticketId) {
      const t = await findVisibleTicket(tx, actor, body.ticketId);
      if (!t) errors.push({ path: 'ticketId', message: 'no such ticket' });
      else ticketId = t.id;
    }
    if (errors.length > 0) throw validationFailed(errors);
    const [row] = await rows<{ id: string }>(
      tx,
      sql`INSERT INTO kudos (to_staff_id, from_staff_id, ticket_id, message, created_at)
          VALUES (${body.toStaffId}, ${actor.userId}, ${ticketId}, ${body.message}, ${now.toISOString()}::timestamptz) RETURNING id`,
    );
    if (!row) throw new Error('kudos insert returned nothing');
    await insertAwards(tx, [{ staffId: body.toStaffId, reason: 'kudos', points: POINTS.kudos, key: `kudos:${row.id}` }], ticketId, now);
    await recordEvent(tx, {
      type: 'kudos.received',
      actor,
      ticketId,
      payload: { kudosId: row.id, toStaffId: body.toStaffId, message: body.message },
      at: now,
    });
    return row.id;
  });
  const [row] = await rows<KudosRow>(deps.db, sql`${SELECT} WHERE k.id = ${id}`);
  if (!row) throw new Error('kudos vanished');
  return toDto(row);
}

export async function listKudos(
  deps: ServiceDeps,
  q: { toStaffId?: string | undefined; ticketId?: string | undefined; limit: number },
): Promise<{ items: Kudos[] }> {
  const conds: SQL[] = [sql`true`];
  if (q.toStaffId) conds.push(sql`k.to_staff_id = ${q.toStaffId}`);
  if (q.ticketId) conds.push(sql`k.ticket_id = ${q.ticketId}`);
  const found = await rows<KudosRow>(
    deps.db,
    sql`${SELECT} WHERE ${sql.join(conds, sql` AND `)} ORDER BY k.created_at DESC, k.id DESC LIMIT ${q.limit}`,
  );
  return { items: found.map(toDto) };
}
