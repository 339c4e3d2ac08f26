import type { AddIdentityBody, CreateCustomerBody, Customer, CustomerList, UpdateCustomerBody } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { customerIdentities, customers } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { decodeCursor, encodeCursor, isTimeIdCursor } from './cursor.ts';
import { searchCustomers, withSearchSettings } from './customer-search.ts';
import { toCustomer, toCustomerSummary } from './customers.dto.ts';
import {
  type CustomerSummaryRow,
  findCustomerDetail,
  findIdentityOwners,
  findOrganisationByDomain,
  listIdentities,
  refreshCustomerSearchText,
  rows,
  SUMMARY_COLUMNS,
} from './customers.repository.ts';
import { emailDomain, type IdentityKindValue, normaliseIdentity } from './identity-values.ts';
import { customerVisibleSql } from './ticket-visibility-sql.ts';

type ServiceDeps = Pick<Deps, 'db'>;

/** PostgreSQL unique violation, however the driver wrapped it. */
export function isUniqueViolation(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i += 1) {
    if (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function identityTaken(kind: string, value: string, customerId: string, sameCustomer = false): AppError {
  const what = kind === 'email' ? 'email address' : kind === 'phone' ? 'phone number' : 'external id';
  return new AppError(
    'ALREADY_EXISTS',
    sameCustomer
      ? `This customer already has the ${what} ${value}`
      : `The ${what} ${value} already belongs to another customer`,
    { details: { kind, value, customerId } },
  );
}

async function assertOrganisationExists(db: DbOrTx, organisationId: string): Promise<void> {
  const found = await rows(db, sql`SELECT 1 FROM organisations WHERE id = ${organisationId}`);
  if (found.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'The organisation does not exist', {
      errors: [{ path: 'organisationId', message: 'no such organisation' }],
    });
  }
}

export async function getCustomer(
  deps: ServiceDeps,
  opts: { actor: Actor; id: string; db?: DbOrTx },
): Promise<Customer> {
  const db = opts.db ?? deps.db;
  const row = await findCustomerDetail(db, opts.actor, opts.id);
  if (!row) throw notFound('Customer');
  return toCustomer(row, await listIdentities(db, opts.id));
}

export interface ListCustomersOptions {
  actor: Actor;
  q?: string | undefined;
  organisationId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Newest first; with `q`, best match first over normalised name, emails and phones (prefix, substring, typos). */
export async function listCustomers(deps: ServiceDeps, opts: ListCustomersOptions): Promise<CustomerList> {
  if (opts.q && opts.q.trim() !== '') {
    const q = opts.q;
    const found = await withSearchSettings(deps.db, (tx) => searchCustomers(tx, { ...opts, q }));
    return { items: found.items.map(toCustomerSummary), nextCursor: found.nextCursor };
  }
  const after = decodeCursor(opts.cursor, isTimeIdCursor);
  const found = await rows<CustomerSummaryRow>(
    deps.db,
    sql`SELECT ${SUMMARY_COLUMNS} FROM customers c LEFT JOIN organisations o ON o.id = c.organisation_id
      WHERE c.merged_into_id IS NULL AND ${customerVisibleSql(opts.actor, 'c')}
        ${opts.organisationId ? sql`AND c.organisation_id = ${opts.organisationId}` : sql``}
        ${after ? sql`AND (c.created_at, c.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
      ORDER BY c.created_at DESC, c.id DESC
      LIMIT ${opts.limit + 1}`,
  );
  const items = found.slice(0, opts.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toCustomerSummary),
    nextCursor: found.length > opts.limit && last ? encodeCursor([last.created_key, last.id]) : null,
  };
}

function collectIdentities(body: { emails?: string[] | undefined; phones?: string[] | undefined }) {
  const out: Array<{ kind: IdentityKindValue; value: string }> = [];
  const seen = new Set<string>();
  const add = (kind: IdentityKindValue, list: string[] | undefined) => {
    (list ?? []).forEach((raw, i) => {
      const value = normaliseIdentity(kind, raw, `${kind === 'email' ? 'emails' : 'phones'}.${i}`);
      if (seen.has(`${kind}:${value}`)) return;
      seen.add(`${kind}:${value}`);
      out.push({ kind, value });
    });
  };
  add('email', body.emails);
  add('phone', body.phones);
  return out;
}

export async function createCustomer(
  deps: ServiceDeps,
  opts: { actor: Actor; body: CreateCustomerBody },
): Promise<Customer> {
  const { body } = opts;
  const identities = collectIdentities(body);
  try {
    return await deps.db.transaction(async (tx) => {
      const taken = await findIdentityOwners(tx, identities);
      const first = taken[0];
      if (first) throw identityTaken(first.kind, first.value, first.customer_id);
      let organisationId = body.organisationId ?? null;
      if (organisationId) await assertOrganisationExists(tx, organisationId);
      if (body.organisationId === undefined) {
        // a sender whose email domain belongs to an organisation joins it
        for (const i of identities.filter((x) => x.kind === 'email')) {
          organisationId = await findOrganisationByDomain(tx, emailDomain(i.value));
          if (organisationId) break;
        }
      }
      const [customer] = await tx
        .insert(customers)
        .values({ name: body.name, organisationId, locale: body.locale ?? null, notes: body.notes ?? '' })
        .returning({ id: customers.id });
      if (!customer) throw new Error('customer insert returned nothing');
      const primaries = new Set<string>();
      if (identities.length > 0) {
        await tx.insert(customerIdentities).values(
          identities.map((i) => {
            const isPrimary = !primaries.has(i.kind);
            primaries.add(i.kind);
            return { customerId: customer.id, kind: i.kind, value: i.value, isPrimary };
          }),
        );
      }
      await refreshCustomerSearchText(tx, customer.id);
      await recordEvent(tx, {
        type: 'customer.created',
        actor: opts.actor,
        customerId: customer.id,
        payload: { name: body.name, identities: identities.map((i) => `${i.kind}:${i.value}`), organisationId },
      });
      return getCustomer(deps, { actor: opts.actor, id: customer.id, db: tx });
    });
  } catch (err) {
    // two requests racing for the same identity: the unique index decides, the loser gets the same clear answer
    if (isUniqueViolation(err)) {
      const again = await findIdentityOwners(deps.db, identities);
      const first = again[0];
      if (first) throw identityTaken(first.kind, first.value, first.customer_id);
    }
    throw err;
  }
}

/** Locks the customer row for a change; 404 when it does not exist or the actor may not see it. */
async function lockCustomer(
  tx: DbOrTx,
  actor: Actor,
  id: string,
): Promise<{ id: string; merged_into_id: string | null }> {
  const [row] = await rows<{ id: string; merged_into_id: string | null }>(
    tx,
    sql`SELECT c.id, c.merged_into_id FROM customers c WHERE c.id = ${id} AND ${customerVisibleSql(actor, 'c')} FOR UPDATE`,
  );
  if (!row) throw notFound('Customer');
  return row;
}

export async function updateCustomer(
  deps: ServiceDeps,
  opts: { actor: Actor; id: string; body: UpdateCustomerBody },
): Promise<Customer> {
  const { body } = opts;
  return deps.db.transaction(async (tx) => {
    await lockCustomer(tx, opts.actor, opts.id);
    if (body.organisationId) await assertOrganisationExists(tx, body.organisationId);
    const changes: Record<string, unknown> = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.organisationId !== undefined) changes.organisationId = body.organisationId;
    if (body.locale !== undefined) changes.locale = body.locale;
    if (body.notes !== undefined) changes.notes = body.notes;
    if (body.attributes !== undefined) changes.attributes = body.attributes;
    if (Object.keys(changes).length > 0) {
      await tx
        .update(customers)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(sql`${customers.id} = ${opts.id}`);
      if (body.name !== undefined) await refreshCustomerSearchText(tx, opts.id);
      await recordEvent(tx, {
        type: 'customer.updated',
        actor: opts.actor,
        customerId: opts.id,
        payload: { fields: Object.keys(changes) },
      });
    }
    return getCustomer(deps, { actor: opts.actor, id: opts.id, db: tx });
  });
}

export async function addIdentity(
  deps: ServiceDeps,
  opts: { actor: Actor; id: string; body: AddIdentityBody },
): Promise<Customer> {
  const kind = opts.body.kind;
  const value = normaliseIdentity(kind, opts.body.value, 'value');
  try {
    return await deps.db.transaction(async (tx) => {
      await lockCustomer(tx, opts.actor, opts.id);
      const [owner] = await findIdentityOwners(tx, [{ kind, value }]);
      if (owner) throw identityTaken(kind, value, owner.customer_id, owner.customer_id === opts.id);
      const [hasPrimary] = await rows(
        tx,
        sql`SELECT 1 FROM customer_identities WHERE customer_id = ${opts.id} AND kind = ${kind} AND is_primary`,
      );
      const isPrimary = opts.body.isPrimary === true || !hasPrimary;
      if (isPrimary && hasPrimary) {
        await tx.execute(
          sql`UPDATE customer_identities SET is_primary = false WHERE customer_id = ${opts.id} AND kind = ${kind}`,
        );
      }
      const [identity] = await tx
        .insert(customerIdentities)
        .values({ customerId: opts.id, kind, value, isPrimary })
        .returning({ id: customerIdentities.id });
      await tx.execute(sql`UPDATE customers SET updated_at = now() WHERE id = ${opts.id}`);
      await refreshCustomerSearchText(tx, opts.id);
      await recordEvent(tx, {
        type: 'customer.identity_added',
        actor: opts.actor,
        customerId: opts.id,
        payload: { identityId: identity?.id, kind, value, isPrimary },
      });
      return getCustomer(deps, { actor: opts.actor, id: opts.id, db: tx });
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const [owner] = await findIdentityOwners(deps.db, [{ kind, value }]);
      if (owner) throw identityTaken(kind, value, owner.customer_id, owner.customer_id === opts.id);
    }
    throw err;
  }
}

export async function removeIdentity(
  deps: ServiceDeps,
  opts: { actor: Actor; id: string; identityId: string },
): Promise<Customer> {
  return deps.db.transaction(async (tx) => {
    await lockCustomer(tx, opts.actor, opts.id);
    const all = await listIdentities(tx, opts.id);
    const target = all.find((i) => i.id === opts.identityId);
    if (!target) throw notFound('Identity');
    if (all.length === 1) {
      throw new AppError('CONFLICT', 'A customer keeps at least one identity: add another before removing this one', {
        details: { identityId: target.id },
      });
    }
    await tx.execute(sql`DELETE FROM customer_identities WHERE id = ${target.id}`);
    if (target.is_primary) {
      const next = all.find((i) => i.id !== target.id && i.kind === target.kind);
      if (next) await tx.execute(sql`UPDATE customer_identities SET is_primary = true WHERE id = ${next.id}`);
    }
    await tx.execute(sql`UPDATE customers SET updated_at = now() WHERE id = ${opts.id}`);
    await refreshCustomerSearchText(tx, opts.id);
    await recordEvent(tx, {
      type: 'customer.identity_removed',
      actor: opts.actor,
      customerId: opts.id,
      payload: { identityId: target.id, kind: target.kind, value: target.value },
    });
    return getCustomer(deps, { actor: opts.actor, id: opts.id, db: tx });
  });
}
