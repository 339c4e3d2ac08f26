import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** email domains whose senders belong to this organisation */
    domains: text('domains').array().notNull().default(sql`'{}'::text[]`),
    /** members may see each other's tickets (portal) */
    isShared: boolean('is_shared').notNull().default(false),
    notes: text('notes').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organisations_name_key').on(sql`lower(${t.name})`),
    index('organisations_domains_idx').using('gin', t.domains),
  ],
);

export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().default(''),
    organisationId: uuid('organisation_id').references(() => organisations.id, { onDelete: 'set null' }),
    locale: text('locale'),
    notes: text('notes').notNull().default(''),
    attributes: jsonb('attributes').notNull().default({}),
    /** set when this customer was merged into another; the row stays so old links resolve */
    mergedIntoId: uuid('merged_into_id'),
    /** normalised name + identities, for search */
    searchText: text('search_text').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('customers_org_idx').on(t.organisationId),
    index('customers_created_idx').on(t.createdAt, t.id),
    // a small GIN pending list, as on tickets (docs/decisions/0009-gin-pending-list.md)
    index('customers_search_trgm_idx')
      .using('gin', t.searchText.op('gin_trgm_ops'))
      .with({ gin_pending_list_limit: 256 }),
  ],
);

export const customerIdentities = pgTable(
  'customer_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** email | phone | visitor | external */
    kind: text('kind').notNull(),
    /** normalised: lower-case email, E.164-ish phone */
    value: text('value').notNull(),
    isPrimary: boolean('is_primary').notNull().default(false),
    isVerified: boolean('is_verified').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('customer_identities_kind_value_key').on(t.kind, t.value),
    index('customer_identities_customer_idx').on(t.customerId),
  ],
);
