import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import { CONFIG_VERSIONS_COLUMN, primeConfigVersions } from '../../platform/config-cache.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { customers } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';

export interface FindOrCreateCustomerInput {
  email: string;
  name?: string | null | undefined;
  /** who caused the creation (recorded on `customer.created`); defaults to the system */
  actor?: Actor;
  now?: Date;
}

export interface FoundCustomer {
  id: string;
  name: string;
  organisationId: string | null;
  /** the normalised email the customer was found by */
  email: string;
  /** the customer's primary (else oldest) email identity, which may differ from `email` */
  primaryEmail: string | null;
  created: boolean;
}

/** Email identities are stored trimmed and lower-cased (NFC). */
export function normaliseEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

function defaultName(email: string): string {
  return email.split('@')[0] ?? email;
}

/** Follows merged_into_id to the surviving customer (bounded, in case of a cycle); null if there is none. */
export async function resolveMerged(
  tx: DbOrTx,
  id: string,
): Promise<{ id: string; name: string; organisationId: string | null } | null> {
  let currentId = id;
  for (let i = 0; i < 10; i += 1) {
    const [row] = await tx
      .select({
        id: customers.id,
        name: customers.name,
        organisationId: customers.organisationId,
        mergedIntoId: customers.mergedIntoId,
      })
      .from(customers)
      .where(eq(customers.id, currentId));
    if (!row) return null;
    if (!row.mergedIntoId) return row;
    currentId = row.mergedIntoId;
  }
  return null;
}

/**
 * The customer owning an email identity (followed to the survivor of merges), with its primary email. The statement
 * also carries the configuration versions (platform/config-cache.ts CONFIG_VERSIONS_COLUMN) for the transaction's
 * first cached configuration lookup — a ticket create looks its custom fields up next — so that lookup needs no
 * read of its own.
 */
async function findByEmail(tx: DbOrTx, email: string) {
  // one round trip for the usual unmerged customer; merged ones are followed by resolveMerged
  const r = await tx.execute<{
    id: string | null;
    name: string;
    organisation_id: string | null;
    merged_into_id: string | null;
    primary_email: string | null;
    config_versions: [string, [string, number][]];
  }>(sql`
    SELECT f.*, ${CONFIG_VERSIONS_COLUMN} AS config_versions
      FROM (SELECT 1) AS one LEFT JOIN LATERAL (
        SELECT c.id, c.name, c.organisation_id, c.merged_into_id,
               (SELECT p.value FROM customer_identities p WHERE p.customer_id = c.id AND p.kind = 'email'
                 ORDER BY p.is_primary DESC, p.created_at ASC LIMIT 1) AS primary_email
          FROM customer_identities ci JOIN customers c ON c.id = ci.customer_id
         WHERE ci.kind = 'email' AND ci.value = ${email}) AS f ON true`);
  const row = r.rows[0];
  primeConfigVersions(tx, row?.config_versions);
  if (!row?.id) return null;
  if (!row.merged_into_id) {
    return { id: row.id, name: row.name, organisationId: row.organisation_id, primaryEmail: row.primary_email };
  }
  const survivor = await resolveMerged(tx, row.merged_into_id);
  return survivor ? { ...survivor, primaryEmail: await primaryEmailOf(tx, survivor.id) } : null;
}

async function primaryEmailOf(tx: DbOrTx, customerId: string): Promise<string | null> {
  const r = await tx.execute<{ value: string }>(sql`
    SELECT value FROM customer_identities WHERE customer_id = ${customerId} AND kind = 'email'
     ORDER BY is_primary DESC, created_at ASC LIMIT 1`);
  return r.rows[0]?.value ?? null;
}

/**
 * Finds the customer owning an email address or creates one (with the email as its primary identity), safely under
 * concurrency: the identity insert uses ON CONFLICT DO NOTHING, and the loser of a race drops its fresh customer row
 * and answers the winner's. New customers join the organisation that lists their email domain.
 */
export async function findOrCreateCustomerByEmail(
  tx: DbOrTx,
  input: FindOrCreateCustomerInput,
): Promise<FoundCustomer> {
  const email = normaliseEmail(input.email);
  const givenName = input.name?.trim() ?? '';
  let existing = await findByEmail(tx, email);
  if (!existing) {
    // Not there yet: creators of this address take turns (until their COMMIT), and the one that waited finds the
    // winner's customer on the second look. Without the lock the loser would insert a customer and delete it again,
    // and a customer delete visits every table that refers to customers.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`seva.customer-email:${email}`}, 0))`);
    existing = await findByEmail(tx, email);
  }
  if (existing) {
    if (existing.name === '' && givenName !== '') {
      await tx
        .update(customers)
        .set({ name: givenName, searchText: normaliseForSearch(`${givenName} ${email}`) })
        .where(eq(customers.id, existing.id));
      existing.name = givenName;
    }
    return {
      id: existing.id,
      name: existing.name,
      organisationId: existing.organisationId,
      email,
      primaryEmail: existing.primaryEmail,
      created: false,
    };
  }

  const name = givenName !== '' ? givenName : defaultName(email);
  const domain = email.split('@')[1] ?? '';
  const now = input.now ?? new Date();
  // The organisation that lists the domain, the customer and its email identity in one statement (three round trips
  // were one each). The identity's FOREIGN KEY check runs at the end of the statement, when the customer is there.
  const r = await tx.execute<{ id: string; organisation_id: string | null; identity_id: string | null }>(sql`
    WITH org AS (SELECT id FROM organisations WHERE ${domain} = ANY(domains) ORDER BY created_at LIMIT 1),
    c AS (
      INSERT INTO customers (name, organisation_id, search_text, created_at, updated_at)
      VALUES (${name}, (SELECT id FROM org), ${normaliseForSearch(`${name} ${email}`)}, ${now}, ${now})
      RETURNING id, organisation_id),
    i AS (
      INSERT INTO customer_identities (customer_id, kind, value, is_primary, created_at)
      SELECT c.id, 'email', ${email}, true, ${now} FROM c
      ON CONFLICT (kind, value) DO NOTHING
      RETURNING id)
    SELECT c.id, c.organisation_id, (SELECT id FROM i) AS identity_id FROM c`);
  const created = r.rows[0];
  if (!created) throw new Error('customer insert returned nothing');
  const organisationId = created.organisation_id;

  if (created.identity_id === null) {
    // The identity was added outside find-or-create (say to an existing customer) between our read and our insert:
    // use its owner.
    await tx.delete(customers).where(eq(customers.id, created.id));
    const winner = await findByEmail(tx, email);
    if (!winner) throw new Error(`customer identity ${email} vanished during creation`);
    return {
      id: winner.id,
      name: winner.name,
      organisationId: winner.organisationId,
      email,
      primaryEmail: winner.primaryEmail,
      created: false,
    };
  }

  await recordEvent(tx, {
    type: 'customer.created',
    actor: input.actor ?? { kind: 'system' },
    customerId: created.id,
    payload: { email, name, organisationId },
    at: now,
  });
  return { id: created.id, name, organisationId, email, primaryEmail: email, created: true };
}
