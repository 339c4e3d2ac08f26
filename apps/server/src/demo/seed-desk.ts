import { randomUUID } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { hashPassword } from '../platform/auth/passwords.ts';
import type { Db } from '../platform/db/client.ts';
import {
  categories,
  customFields,
  organisations,
  staffUsers,
  teamMembers,
  teams,
} from '../platform/db/schema/index.ts';
import { normaliseForSearch } from '../platform/text/normalise.ts';
import {
  DEMO_ADMIN,
  DEMO_CATEGORIES,
  DEMO_CUSTOM_FIELDS,
  DEMO_ORGANISATIONS,
  DEMO_STAFF,
  DEMO_TEAMS,
  type TeamKey,
} from './demo-catalogue.ts';
import { generateCustomers } from './demo-customers.ts';
import type { DemoCustomerRef, DemoRefs } from './generate-tickets.ts';

export interface SeededDesk {
  refs: Omit<DemoRefs, 'now'>;
  created: { staff: number; customers: number; adminCreated: boolean };
}

/**
 * Staff, teams, categories, custom fields, organisations and customers. Everything is looked up by its natural key
 * (email, name, key) and only inserted when missing, so loading the demo twice adds tickets, not duplicates.
 */
export async function seedDesk(db: Db, opts: { customerCount: number; now: Date }): Promise<SeededDesk> {
  const passwordHash = await hashPassword(DEMO_ADMIN.password);
  const people = [
    {
      name: DEMO_ADMIN.name,
      email: DEMO_ADMIN.email,
      role: 'admin',
      locale: 'en' as const,
      teams: [] as readonly TeamKey[],
    },
    ...DEMO_STAFF,
  ];
  const inserted = await db
    .insert(staffUsers)
    .values(
      people.map((p) => ({
        email: p.email,
        name: p.name,
        role: p.role,
        locale: p.locale,
        status: 'active',
        passwordHash,
      })),
    )
    .onConflictDoNothing()
    .returning({ email: staffUsers.email });
  const staffRows = await db
    .select({ id: staffUsers.id, email: staffUsers.email, name: staffUsers.name, role: staffUsers.role })
    .from(staffUsers)
    .where(sql`lower(${staffUsers.email}) = ANY(${sql.param(people.map((p) => p.email.toLowerCase()))}::text[])`);
  const staffByEmail = new Map(staffRows.map((s) => [s.email.toLowerCase(), s]));
  const idOf = (email: string) => staffByEmail.get(email.toLowerCase())?.id ?? null;

  await db
    .insert(teams)
    .values(
      DEMO_TEAMS.map((t) => ({
        name: t.name,
        description: t.description,
        leadId: idOf(
          t.key === 'technical' || t.key === 'delivery' ? 'rohit.sharma@seva.local' : 'ananya.sen@seva.local',
        ),
      })),
    )
    .onConflictDoNothing();
  const teamRows = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(
      inArray(
        teams.name,
        DEMO_TEAMS.map((t) => t.name),
      ),
    );
  const teamIdByKey = new Map<TeamKey, string>();
  for (const t of DEMO_TEAMS) {
    const row = teamRows.find((r) => r.name === t.name);
    if (row) teamIdByKey.set(t.key, row.id);
  }
  const memberships = DEMO_STAFF.flatMap((s) =>
    s.teams.flatMap((k) => {
      const teamId = teamIdByKey.get(k);
      const userId = idOf(s.email);
      return teamId && userId ? [{ teamId, userId }] : [];
    }),
  );
  if (memberships.length > 0) await db.insert(teamMembers).values(memberships).onConflictDoNothing();

  await db
    .insert(categories)
    .values(DEMO_CATEGORIES.map((c, position) => ({ name: c.name, translations: { bn: c.bn, hi: c.hi }, position })))
    .onConflictDoNothing();
  const categoryRows = await db
    .select({ id: categories.id, name: categories.name })
    .from(categories)
    .where(
      inArray(
        categories.name,
        DEMO_CATEGORIES.map((c) => c.name),
      ),
    );

  await db
    .insert(customFields)
    .values(
      DEMO_CUSTOM_FIELDS.map((f) => ({
        ...f,
        translations: { ...f.translations },
        options: f.options.map((o) => ({ ...o, translations: { ...o.translations } })),
      })),
    )
    .onConflictDoNothing();

  await db
    .insert(organisations)
    .values(DEMO_ORGANISATIONS.map((o) => ({ name: o.name, domains: [o.domain], isShared: o.isShared })))
    .onConflictDoNothing();
  const orgRows = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(
      inArray(
        organisations.name,
        DEMO_ORGANISATIONS.map((o) => o.name),
      ),
    );
  const orgIds = DEMO_ORGANISATIONS.map((o) => orgRows.find((r) => r.name === o.name)?.id ?? null);

  const { customers, createdCustomers } = await seedCustomers(db, opts.customerCount, orgIds, opts.now);

  const teamsRef = {} as Record<TeamKey, { id: string; memberIds: string[] }>;
  for (const t of DEMO_TEAMS) {
    const id = teamIdByKey.get(t.key);
    if (!id) throw new Error(`demo team ${t.name} is missing`);
    const memberIds = DEMO_STAFF.filter((s) => s.teams.includes(t.key) && s.role !== 'collaborator').flatMap(
      (s) => idOf(s.email) ?? [],
    );
    teamsRef[t.key] = { id, memberIds };
  }
  const brief = (b: 'ceo' | 'finance' | 'technician') => {
    const def = DEMO_STAFF.find((s) => s.brief === b);
    return def ? idOf(def.email) : null;
  };
  return {
    refs: {
      customers,
      categories: DEMO_CATEGORIES.flatMap((c) => {
        const row = categoryRows.find((r) => r.name === c.name);
        return row ? [{ id: row.id, key: c.key, team: c.team, tags: c.tags, weight: c.weight }] : [];
      }),
      teams: teamsRef,
      staffNames: new Map(staffRows.map((s) => [s.id, s.name])),
      supervisorIds: staffRows.filter((s) => s.role === 'supervisor').map((s) => s.id),
      collaborators: { ceo: brief('ceo'), finance: brief('finance'), technician: brief('technician') },
    },
    created: {
      staff: inserted.length,
      customers: createdCustomers,
      adminCreated: inserted.some((r) => r.email.toLowerCase() === DEMO_ADMIN.email),
    },
  };
}

async function seedCustomers(db: Db, count: number, orgIds: ReadonlyArray<string | null>, now: Date) {
  const wanted = generateCustomers(count);
  const existing = await db.execute<{
    value: string;
    customer_id: string;
    name: string;
    organisation_id: string | null;
  }>(sql`
    SELECT i.value, i.customer_id, c.name, c.organisation_id
      FROM customer_identities i JOIN customers c ON c.id = i.customer_id
     WHERE i.kind = 'email' AND i.value = ANY(${sql.param(wanted.map((w) => w.email))}::text[])`);
  const found = new Map(existing.rows.map((r) => [r.value, r]));
  const missing = wanted.filter((w) => !found.has(w.email));
  const ids = missing.map(() => randomUUID());

  if (missing.length > 0) {
    const created = missing.map((w) => new Date(now.getTime() - w.createdDaysAgo * 86_400_000).toISOString());
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        INSERT INTO customers (id, name, organisation_id, locale, search_text, created_at, updated_at)
        SELECT u.id, u.name, u.org, u.locale, u.search, u.at, u.at
          FROM unnest(${sql.param(ids)}::uuid[], ${sql.param(missing.map((w) => w.name))}::text[],
            ${sql.param(missing.map((w) => (w.organisation === null ? null : (orgIds[w.organisation] ?? null))))}::uuid[],
            ${sql.param(missing.map((w) => w.locale))}::text[],
            ${sql.param(missing.map((w) => normaliseForSearch([w.name, w.email, w.phone ?? ''].join(' '))))}::text[],
            ${sql.param(created)}::timestamptz[]) AS u(id, name, org, locale, search, at)`);
      const identities = missing.flatMap((w, i) => [
        { customerId: ids[i] as string, kind: 'email', value: w.email, at: created[i] as string },
        ...(w.phone ? [{ customerId: ids[i] as string, kind: 'phone', value: w.phone, at: created[i] as string }] : []),
      ]);
      await tx.execute(sql`
        INSERT INTO customer_identities (customer_id, kind, value, is_primary, is_verified, created_at)
        SELECT u.customer_id, u.kind, u.value, true, u.kind = 'email', u.at
          FROM unnest(${sql.param(identities.map((x) => x.customerId))}::uuid[], ${sql.param(identities.map((x) => x.kind))}::text[],
            ${sql.param(identities.map((x) => x.value))}::text[], ${sql.param(identities.map((x) => x.at))}::timestamptz[])
            AS u(customer_id, kind, value, at)
        ON CONFLICT DO NOTHING`);
    });
  }

  const newIds = new Map(missing.map((w, i) => [w.email, ids[i] as string]));
  const customers: DemoCustomerRef[] = wanted.flatMap((w) => {
    const prior = found.get(w.email);
    const id = prior?.customer_id ?? newIds.get(w.email);
    if (!id) return [];
    return [
      {
        id,
        name: prior?.name ?? w.name,
        firstName: w.firstName,
        email: w.email,
        locale: w.locale,
        organisationId: prior
          ? prior.organisation_id
          : w.organisation === null
            ? null
            : (orgIds[w.organisation] ?? null),
      },
    ];
  });
  return { customers, createdCustomers: missing.length };
}
