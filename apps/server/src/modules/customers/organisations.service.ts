import type { CreateOrganisationBody, Organisation, OrganisationList, UpdateOrganisationBody } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import { type Actor, ticketVisibility } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { decodeCursor, encodeCursor, isTextIdCursor } from './cursor.ts';
import { rows } from './customers.repository.ts';
import { isUniqueViolation } from './customers.service.ts';
import { normaliseDomain } from './identity-values.ts';
import { customerVisibleSql } from './ticket-visibility-sql.ts';

type ServiceDeps = Pick<Deps, 'db'>;

interface OrganisationRow {
  id: string;
  name: string;
  domains: string[];
  is_shared: boolean;
  notes: string;
  created_at: Date;
  customer_count: number;
}

function toOrganisation(r: OrganisationRow): Organisation {
  return {
    id: r.id,
    name: r.name,
    domains: r.domains ?? [],
    isShared: r.is_shared,
    notes: r.notes,
    customerCount: r.customer_count,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Collaborators see only organisations of customers whose tickets they can see. */
function organisationVisibleSql(actor: Actor) {
  if (ticketVisibility(actor).all) return sql`TRUE`;
  return sql`EXISTS (SELECT 1 FROM customers c WHERE c.organisation_id = o.id AND ${customerVisibleSql(actor, 'c')})`;
}

const COLUMNS = sql`o.id, o.name, o.domains, o.is_shared, o.notes, o.created_at,
  (SELECT count(*) FROM customers c WHERE c.organisation_id = o.id AND c.merged_into_id IS NULL)::int AS customer_count`;

function normaliseDomains(list: string[] | undefined): string[] | undefined {
  if (!list) return undefined;
  const out = new Set<string>();
  list.forEach((raw, i) => {
    const d = normaliseDomain(raw);
    if (!d) {
      throw new AppError('VALIDATION_FAILED', `"${raw}" is not a valid email domain`, {
        errors: [{ path: `domains.${i}`, message: 'not a domain such as example.com' }],
      });
    }
    out.add(d);
  });
  return [...out];
}

async function assertFree(db: DbOrTx, opts: { name?: string; domains?: string[]; exceptId?: string }): Promise<void> {
  const except = opts.exceptId ? sql`AND id <> ${opts.exceptId}` : sql``;
  if (opts.name !== undefined) {
    const [clash] = await rows<{ id: string }>(
      db,
      sql`SELECT id FROM organisations WHERE lower(name) = lower(${opts.name}) ${except}`,
    );
    if (clash)
      throw new AppError('ALREADY_EXISTS', `An organisation named ${opts.name} already exists`, {
        details: { organisationId: clash.id },
      });
  }
  if (opts.domains && opts.domains.length > 0) {
    const arr = sql`ARRAY[${sql.join(
      opts.domains.map((d) => sql`${d}`),
      sql`, `,
    )}]::text[]`;
    const [clash] = await rows<{ id: string; name: string; domain: string }>(
      db,
      sql`SELECT id, name, (SELECT d FROM unnest(domains) d WHERE d = ANY(${arr}) LIMIT 1) AS domain
          FROM organisations WHERE domains && ${arr} ${except} LIMIT 1`,
    );
    if (clash) {
      throw new AppError(
        'ALREADY_EXISTS',
        `The domain ${clash.domain} already belongs to the organisation ${clash.name}`,
        {
          details: { domain: clash.domain, organisationId: clash.id },
        },
      );
    }
  }
}

export async function getOrganisation(
  deps: ServiceDeps,
  opts: { actor: Actor; id: string; db?: DbOrTx },
): Promise<Organisation> {
  const [row] = await rows<OrganisationRow>(
    opts.db ?? deps.db,
    sql`SELECT ${COLUMNS} FROM organisations o WHERE o.id = ${opts.id} AND ${organisationVisibleSql(opts.actor)}`,
  );
  if (!row) throw notFound('Organisation');
  return toOrganisation(row);
}

/** By name (A–Z); `q` matches any part of the name or a domain. */
export async function listOrganisations(
  deps: ServiceDeps,
  opts: { actor: Actor; q?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<OrganisationList> {
  const after = decodeCursor(opts.cursor, isTextIdCursor);
  const q = opts.q?.trim();
  const like = q ? `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const found = await rows<OrganisationRow & { name_key: string }>(
    deps.db,
    sql`SELECT ${COLUMNS}, lower(o.name) AS name_key FROM organisations o
      WHERE ${organisationVisibleSql(opts.actor)}
        ${like ? sql`AND (lower(o.name) LIKE ${like} OR EXISTS (SELECT 1 FROM unnest(o.domains) d WHERE d LIKE ${like}))` : sql``}
        ${after ? sql`AND (lower(o.name), o.id) > (${after[0]}, ${after[1]}::uuid)` : sql``}
      ORDER BY lower(o.name), o.id
      LIMIT ${opts.limit + 1}`,
  );
  const items = found.slice(0, opts.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toOrganisation),
    nextCursor: found.length > opts.limit && last ? encodeCursor([last.name_key, last.id]) : null,
  };
}

function conflictFromRace(err: unknown): never {
  if (isUniqueViolation(err)) throw new AppError('ALREADY_EXISTS', 'An organisation with this name already exists');
  throw err;
}

export async function createOrganisation(
  deps: ServiceDeps,
  opts: { actor: Actor; body: CreateOrganisationBody },
): Promise<Organisation> {
  const domains = normaliseDomains(opts.body.domains) ?? [];
  try {
    return await deps.db.transaction(async (tx) => {
      // one writer at a time for the name/domain uniqueness check
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('seva.organisations'))`);
      await assertFree(tx, { name: opts.body.name, domains });
      const [row] = await rows<{ id: string }>(
        tx,
        sql`INSERT INTO organisations (name, domains, is_shared, notes)
            VALUES (${opts.body.name}, ${sql`ARRAY[${sql.join(
              domains.map((d) => sql`${d}`),
              sql`, `,
            )}]::text[]`},
                    ${opts.body.isShared ?? false}, ${opts.body.notes ?? ''})
            RETURNING id`,
      );
      if (!row) throw new Error('organisation insert returned nothing');
      await recordEvent(tx, {
        type: 'organisation.created',
        actor: opts.actor,
        payload: { organisationId: row.id, name: opts.body.name, domains },
      });
      return getOrganisation(deps, { actor: opts.actor, id: row.id, db: tx });
    });
  } catch (err) {
    return conflictFromRace(err);
  }
}

export async function updateOrganisation(
  deps: ServiceDeps,
  opts: { actor: Actor; id: string; body: UpdateOrganisationBody },
): Promise<Organisation> {
  const domains = normaliseDomains(opts.body.domains);
  try {
    return await deps.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('seva.organisations'))`);
      await getOrganisation(deps, { actor: opts.actor, id: opts.id, db: tx });
      await assertFree(tx, {
        ...(opts.body.name !== undefined ? { name: opts.body.name } : {}),
        ...(domains ? { domains } : {}),
        exceptId: opts.id,
      });
      const sets = [];
      if (opts.body.name !== undefined) sets.push(sql`name = ${opts.body.name}`);
      if (domains)
        sets.push(
          sql`domains = ARRAY[${sql.join(
            domains.map((d) => sql`${d}`),
            sql`, `,
          )}]::text[]`,
        );
      if (opts.body.isShared !== undefined) sets.push(sql`is_shared = ${opts.body.isShared}`);
      if (opts.body.notes !== undefined) sets.push(sql`notes = ${opts.body.notes}`);
      if (sets.length > 0) {
        await tx.execute(sql`UPDATE organisations SET ${sql.join(sets, sql`, `)} WHERE id = ${opts.id}`);
        await recordEvent(tx, {
          type: 'organisation.updated',
          actor: opts.actor,
          payload: { organisationId: opts.id, fields: Object.keys(opts.body) },
        });
      }
      return getOrganisation(deps, { actor: opts.actor, id: opts.id, db: tx });
    });
  } catch (err) {
    return conflictFromRace(err);
  }
}

/** Deletes an organisation; its customers and tickets stay, without an organisation. */
export async function deleteOrganisation(deps: ServiceDeps, opts: { actor: Actor; id: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const org = await getOrganisation(deps, { actor: opts.actor, id: opts.id, db: tx });
    await tx.execute(sql`DELETE FROM organisations WHERE id = ${opts.id}`);
    await recordEvent(tx, {
      type: 'organisation.deleted',
      actor: opts.actor,
      payload: { organisationId: opts.id, name: org.name },
    });
  });
}
