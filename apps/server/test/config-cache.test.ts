import { asc, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_VERSIONS_COLUMN, cachedConfig, primeConfigVersions } from '../src/platform/config-cache.ts';
import { automationRules, customFields } from '../src/platform/db/schema/index.ts';
import { createTestDatabase, type TestDatabase } from './harness.ts';
import { recordQueryTexts } from './query-texts.ts';

/**
 * The configuration cache (platform/config-cache.ts): rows stay in memory while their table's version (bumped by
 * triggers in the same transaction as any change) stays the same; any committed change, from any connection, is
 * seen by the next transaction; a change that rolls back is never served afterwards.
 */
let db: TestDatabase;
let other: pg.Client;
let loads = 0;

const fieldKeys = cachedConfig('custom_fields', 'test keys', async (d) => {
  loads += 1;
  const rows = await d.select({ key: customFields.key }).from(customFields).orderBy(asc(customFields.key));
  return rows.map((r) => r.key);
});

let ruleLoads = 0;
const ruleNames = cachedConfig('automation_rules', 'test names', async (d) => {
  ruleLoads += 1;
  return (await d.select({ name: automationRules.name }).from(automationRules)).map((r) => r.name);
});

beforeAll(async () => {
  db = await createTestDatabase();
  // another connection, as another Seva process on the same database would have
  other = new pg.Client({ connectionString: db.url });
  await other.connect();
});

afterAll(async () => {
  await other.end();
  await db.drop();
});

const inTx = <T>(fn: Parameters<typeof db.database.db.transaction<T>>[0]) => db.database.db.transaction(fn);

describe('configuration cache', () => {
  it('reads a table once while it does not change, and again after a change committed on another connection', async () => {
    const first = await inTx((tx) => fieldKeys(tx));
    const second = await inTx((tx) => fieldKeys(tx));
    expect(second).toBe(first);
    expect(loads).toBe(1);

    await other.query(`INSERT INTO custom_fields (key, label, field_type) VALUES ('order_no', 'Order', 'text')`);
    expect(await inTx((tx) => fieldKeys(tx))).toEqual([...first, 'order_no']);
    expect(loads).toBe(2);
    await other.query(`UPDATE custom_fields SET label = 'Order number' WHERE key = 'order_no'`);
    await inTx((tx) => fieldKeys(tx));
    expect(loads).toBe(3);
    await other.query(`DELETE FROM custom_fields WHERE key = 'order_no'`);
    expect(await inTx((tx) => fieldKeys(tx))).toEqual(first);
  });

  it('takes the versions a statement of the transaction carried (no read of its own), and still sees a committed change', async () => {
    const { texts, stop } = recordQueryTexts();
    // as tickets/append-message-row.ts does: the versions ride along with the transaction's write
    const primed = (tx: Parameters<typeof fieldKeys>[0]) =>
      tx
        .execute<{ v: [string, [string, number][]] }>(sql`SELECT ${CONFIG_VERSIONS_COLUMN} AS v`)
        .then((r) => primeConfigVersions(tx, r.rows[0]?.v));
    try {
      const first = await inTx(async (tx) => {
        await primed(tx);
        return fieldKeys(tx);
      });
      const loaded = loads;
      texts.length = 0;
      expect(
        await inTx(async (tx) => {
          await primed(tx);
          return fieldKeys(tx);
        }),
      ).toBe(first);
      expect(loads).toBe(loaded);
      // the statement's own column is the only read of the versions table
      expect(texts.filter((x) => /config_versions/.test(x))).toHaveLength(1);

      await other.query(`INSERT INTO custom_fields (key, label, field_type) VALUES ('primed_no', 'Primed', 'text')`);
      const after = await inTx(async (tx) => {
        await primed(tx);
        return fieldKeys(tx);
      });
      expect(after).toEqual([...first, 'primed_no'].sort());
      expect(loads).toBe(loaded + 1);
    } finally {
      stop();
      await other.query(`DELETE FROM custom_fields WHERE key = 'primed_no'`);
    }
  });

  it('serves a transaction its own uncommitted change, and never serves it again once it rolled back', async () => {
    const before = await inTx((tx) => fieldKeys(tx));
    let inside: readonly string[] = [];
    await expect(
      inTx(async (tx) => {
        await tx.insert(customFields).values({ key: 'draft_field', label: 'Draft', fieldType: 'text' });
        inside = await fieldKeys(tx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(inside).toContain('draft_field');
    expect(await inTx((tx) => fieldKeys(tx))).toEqual(before);
    // and outside a transaction too
    expect(await fieldKeys(db.database.db)).toEqual(before);
  });

  it("a rule's run count is not configuration: counting runs keeps the cache, editing the rule does not", async () => {
    const [rule] = await db.database.db
      .insert(automationRules)
      .values({ kind: 'trigger', name: 'Tag VIP', events: ['ticket.created'] })
      .returning({ id: automationRules.id });
    expect(await inTx((tx) => ruleNames(tx))).toEqual(['Tag VIP']);
    const loaded = ruleLoads;
    await db.database.db
      .update(automationRules)
      .set({ runCount: 5, lastRunAt: new Date() })
      .where(eq(automationRules.id, rule?.id ?? ''));
    await inTx((tx) => ruleNames(tx));
    expect(ruleLoads).toBe(loaded);
    await db.database.db
      .update(automationRules)
      .set({ name: 'Tag VIP customers' })
      .where(eq(automationRules.id, rule?.id ?? ''));
    expect(await inTx((tx) => ruleNames(tx))).toEqual(['Tag VIP customers']);
    expect(ruleLoads).toBe(loaded + 1);
  });

  it('every cached table has the trigger: an update or delete statement bumps its version', async () => {
    const version = async (table: string) =>
      Number(
        (await other.query('SELECT version FROM config_versions WHERE table_name = $1', [table])).rows[0]?.version,
      );
    for (const table of ['custom_fields', 'routing_rules', 'sla_policies', 'automation_rules']) {
      const v0 = await version(table);
      expect(v0).toBeGreaterThan(0);
      await other.query(`UPDATE ${table} SET id = id WHERE false`);
      const v1 = await version(table);
      expect(v1).toBeGreaterThan(v0);
      await other.query(`DELETE FROM ${table} WHERE false`);
      const v2 = await version(table);
      expect(v2).toBeGreaterThan(v1);
    }
  });
});
