import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { staffUsers } from './staff.ts';

export interface MacroActions {
  status?: string;
  priority?: string;
  type?: string;
  categoryId?: string | null;
  teamId?: string | null;
  assigneeId?: string | null;
  addTags?: string[];
  removeTags?: string[];
}

/** Macros and canned replies: text per language with placeholders, plus field changes applied with it. */
export const macros = pgTable(
  'macros',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** typed after "/" in the composer, e.g. "refund" */
    shortcut: text('shortcut'),
    /** null: shared with the whole desk; else personal to this person */
    ownerId: uuid('owner_id').references(() => staffUsers.id, { onDelete: 'cascade' }),
    /** language tag → text, e.g. { en: "Hello {{customer.first_name}}", bn: "…" } */
    bodies: jsonb('bodies').$type<Record<string, string>>().notNull().default({}),
    /** an internal note instead of a public reply */
    internal: boolean('internal').notNull().default(false),
    actions: jsonb('actions').$type<MacroActions>().notNull().default({}),
    active: boolean('active').notNull().default(true),
    usageCount: integer('usage_count').notNull().default(0),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdById: uuid('created_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('macros_shortcut_key')
      .on(sql`coalesce(${t.ownerId}, '00000000-0000-0000-0000-000000000000'::uuid)`, sql`lower(${t.shortcut})`)
      .where(sql`${t.shortcut} IS NOT NULL`),
    index('macros_owner_idx').on(t.ownerId, t.usageCount),
  ],
);
