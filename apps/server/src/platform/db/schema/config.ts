import { bigint, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * A version per configuration table that the write path reads on every ticket change (custom fields, routing rules,
 * SLA policies, automation rules). Triggers bump a table's version in the same transaction as any change to it
 * (migration 0031), so a process may keep the table's rows in memory and check one small row instead of reading
 * them again: see platform/config-cache.ts.
 */
export const configVersions = pgTable('config_versions', {
  tableName: text('table_name').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull(),
});
