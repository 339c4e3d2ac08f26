import { count, sql } from 'drizzle-orm';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';
import { tickets } from '../platform/db/schema/index.ts';
import { recordEvent } from '../platform/events.ts';
import { DEMO_ADMIN } from './demo-catalogue.ts';
import { DemoRandom } from './demo-random.ts';
import { generateTickets } from './generate-tickets.ts';
import { seedDemoWidget } from './seed-demo-widget.ts';
import { seedDesk } from './seed-desk.ts';
import { writeDemoBatch } from './write-demo-batch.ts';

export interface DemoOptions {
  ticketCount: number;
  /** reproducible tickets (customers and staff are always the same) */
  seed?: number;
}

export type DemoSummary = Record<string, number | string>;

const BATCH = 500;
const WRITERS = 2;

/**
 * Loads a living desk: staff (demo@seva.local is the admin), teams, categories, custom fields, organisations,
 * customers, and `ticketCount` tickets over the last six months in English, Bengali and Hindi, with conversations,
 * internal notes, collaborators and a backdated event log. Bulk SQL in transactions of 500 tickets, two at a time.
 */
export async function loadDemoData(deps: { db: Db; clock: Clock }, opts: DemoOptions): Promise<DemoSummary> {
  const ticketCount = Math.max(0, Math.floor(opts.ticketCount));
  if (!Number.isFinite(ticketCount) || ticketCount > 100_000) throw new Error('--tickets must be between 0 and 100000');
  const started = Date.now();
  const now = deps.clock.now();
  const customerCount = Math.min(1500, Math.max(40, Math.ceil(ticketCount / 2)));
  const desk = await seedDesk(deps.db, { customerCount, now });
  const widgetsCreated = await seedDemoWidget(deps.db, now);
  const rnd = new DemoRandom(opts.seed ?? Date.now() ^ (Math.random() * 0x7fffffff));
  const refs = { ...desk.refs, now };

  let messages = 0;
  let events = 0;
  // two writers: PostgreSQL maintains the search indexes of one batch while the next one is written
  const writing = new Set<Promise<void>>();
  for (let done = 0; done < ticketCount; done += BATCH) {
    const batch = generateTickets(rnd, refs, Math.min(BATCH, ticketCount - done));
    messages += batch.messages.length;
    events += batch.events.length;
    const write: Promise<void> = deps.db
      .transaction(async (tx) => {
        // demo rows are reproducible: no need to wait for the WAL flush
        await tx.execute(sql`SET LOCAL synchronous_commit = off`);
        await writeDemoBatch(tx, batch);
      })
      .finally(() => writing.delete(write));
    writing.add(write);
    if (writing.size >= WRITERS) await Promise.race(writing);
  }
  await Promise.all(writing);
  // one live event so open agent screens refresh
  await deps.db.transaction((tx) =>
    recordEvent(tx, { type: 'demo.loaded', actor: { kind: 'system' }, payload: { tickets: ticketCount } }),
  );
  const [total] = await deps.db.select({ n: count() }).from(tickets);

  return {
    tickets: ticketCount,
    messages,
    events,
    customersCreated: desk.created.customers,
    staffCreated: desk.created.staff,
    widgetsCreated,
    totalTickets: total?.n ?? 0,
    adminEmail: DEMO_ADMIN.email,
    adminPassword: desk.created.adminCreated
      ? DEMO_ADMIN.password
      : `${DEMO_ADMIN.password} (unchanged if you set another)`,
    staffPassword: DEMO_ADMIN.password,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}
