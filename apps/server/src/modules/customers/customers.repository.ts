import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { customerVisibleSql, ticketVisibleSql } from './ticket-visibility-sql.ts';

/** SQL only: typed rows for customers, no rules. */

export interface CustomerSummaryRow {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  organisation_id: string | null;
  organisation_name: string | null;
  locale: string | null;
  merged_into_id: string | null;
  created_at: Date;
  updated_at: Date;
  /** exact text of created_at with microseconds, for cursors */
  created_key: string;
}

export interface CustomerDetailRow extends CustomerSummaryRow {
  notes: string;
  attributes: Record<string, unknown>;
  ticket_count: number;
  open_ticket_count: number;
}

export interface IdentityRow {
  id: string;
  customer_id: string;
  kind: string;
  value: string;
  is_primary: boolean;
  is_verified: boolean;
  created_at: Date;
}

export async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const res = await db.execute(query);
  return res.rows as T[];
}

/** Columns of a customer summary for the customer aliased `c` (organisation joined as `o`). */
export const SUMMARY_COLUMNS = sql`c.id, c.name, c.organisation_id, o.name AS organisation_name, c.locale, c.merged_into_id,
  c.created_at, c.updated_at, to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key,
  (SELECT i.value FROM customer_identities i WHERE i.customer_id = c.id AND i.kind = 'email'
     ORDER BY i.is_primary DESC, i.created_at, i.id LIMIT 1) AS email,
  (SELECT i.value FROM customer_identities i WHERE i.customer_id = c.id AND i.kind = 'phone'
     ORDER BY i.is_primary DESC, i.created_at, i.id LIMIT 1) AS phone`;

export async function findCustomerDetail(db: DbOrTx, actor: Actor, id: string): Promise<CustomerDetailRow | null> {
  const [row] = await rows<CustomerDetailRow>(
    db,
    sql`SELECT ${SUMMARY_COLUMNS}, c.notes, c.attributes,
      (SELECT count(*) FROM tickets t WHERE t.customer_id = c.id AND ${ticketVisibleSql(actor, 't')})::int AS ticket_count,
      (SELECT count(*) FROM tickets t WHERE t.customer_id = c.id AND t.status NOT IN ('solved', 'closed')
         AND ${ticketVisibleSql(actor, 't')})::int AS open_ticket_count
    FROM customers c LEFT JOIN organisations o ON o.id = c.organisation_id
    WHERE c.id = ${id} AND ${customerVisibleSql(actor, 'c')}`,
  );
  return row ?? null;
}

export async function listIdentities(db: DbOrTx, customerId: string): Promise<IdentityRow[]> {
  return rows<IdentityRow>(
    db,
    sql`SELECT * FROM customer_identities WHERE customer_id = ${customerId}
        ORDER BY kind, is_primary DESC, created_at, id`,
  );
}

/** Recomputes customers.search_text from the name and every identity (call after any change to either). */
export async function refreshCustomerSearchText(db: DbOrTx, customerId: string): Promise<void> {
  const [c] = await rows<{ name: string; values: string[] | null }>(
    db,
    sql`SELECT c.name, array_agg(i.value ORDER BY i.created_at, i.id) FILTER (WHERE i.id IS NOT NULL) AS values
        FROM customers c LEFT JOIN customer_identities i ON i.customer_id = c.id
        WHERE c.id = ${customerId} GROUP BY c.id`,
  );
  if (!c) return;
  const text = normaliseForSearch([c.name, ...(c.values ?? [])].join(' '));
  await db.execute(sql`UPDATE customers SET search_text = ${text} WHERE id = ${customerId}`);
  await refreshTicketSearchTextOf(db, customerId, c.name);
}

/**
 * A ticket's search text holds its customer's name and primary email (so "Rina" finds Rina's tickets); when
 * those change, the customer's tickets are re-indexed in batches.
 */
async function refreshTicketSearchTextOf(db: DbOrTx, customerId: string, name: string): Promise<void> {
  const [primary] = await rows<{ value: string }>(
    db,
    sql`SELECT value FROM customer_identities WHERE customer_id = ${customerId} AND kind = 'email'
        ORDER BY is_primary DESC, created_at ASC LIMIT 1`,
  );
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await rows<{ id: string; subject: string }>(
      db,
      sql`SELECT id, subject FROM tickets WHERE customer_id = ${customerId} AND id > ${after} ORDER BY id LIMIT 500`,
    );
    if (batch.length === 0) return;
    const values = sql.join(
      batch.map((t) => sql`(${t.id}::uuid, ${normaliseForSearch(`${t.subject} ${name} ${primary?.value ?? ''}`)})`),
      sql`, `,
    );
    await db.execute(sql`UPDATE tickets SET search_text = v.text FROM (VALUES ${values}) AS v(id, text)
      WHERE tickets.id = v.id AND tickets.search_text IS DISTINCT FROM v.text`);
    after = batch[batch.length - 1]?.id ?? after;
    if (batch.length < 500) return;
  }
}

/** Which customer (if any) already holds one of these identities. */
export async function findIdentityOwners(
  db: DbOrTx,
  identities: Array<{ kind: string; value: string }>,
): Promise<Array<{ kind: string; value: string; customer_id: string }>> {
  if (identities.length === 0) return [];
  const pairs = sql.join(
    identities.map((i) => sql`(${i.kind}, ${i.value})`),
    sql`, `,
  );
  return rows(db, sql`SELECT kind, value, customer_id FROM customer_identities WHERE (kind, value) IN (${pairs})`);
}

/** Organisation whose domains include this email domain. */
export async function findOrganisationByDomain(db: DbOrTx, domain: string): Promise<string | null> {
  const [row] = await rows<{ id: string }>(
    db,
    sql`SELECT id FROM organisations WHERE domains @> ARRAY[${domain}]::text[] ORDER BY created_at LIMIT 1`,
  );
  return row?.id ?? null;
}
