import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { SCRIPT } from '../../platform/text/scripts.ts';

/**
 * The `settings` row migration 0041 writes when tickets already exist: `{ after }`, the last ticket id worked out.
 * It exists exactly while work is left; the batch that finds nothing more deletes it.
 */
export const REFINE_TICKET_SCRIPTS_KEY = 'ticket_scripts_refine';

/** tickets per transaction: each holds their row locks for ~0.15 s at 1M tickets and 4 messages each */
export const REFINE_BATCH_SIZE = 1_000;
/** a job stops after the batch that passes this, and queues its sequel (jobs expire after 300 s) */
const SLICE_MS = 30_000;
/** progress goes to the log every this many batches of a job (~50,000 tickets) */
const LOG_EVERY_BATCHES = 50;

export interface RefineTicketScriptsOptions {
  batchSize?: number;
  sliceMs?: number;
  /** true once the process is closing: stop after the current batch */
  stopping?: () => boolean;
  log?: { info(obj: object, msg: string): void };
}

export interface RefineTicketScriptsResult {
  batches: number;
  /** tickets whose bits were worked out */
  refined: number;
  /** nothing left: every ticket's bits are worked out */
  done: boolean;
  /** another worker is in a batch of the walk right now: it goes on, this job ends without a sequel */
  busy: boolean;
}

type Step = { kind: 'done' } | { kind: 'busy' } | { kind: 'batch'; refined: number; after: string; last: boolean };

/**
 * Works out the bits of tickets that hold 15 (every script, and `SCRIPT.unknown`: they existed before migration 0041,
 * which marks them instead of computing them at start-up): their subject's and every message's scripts, as the
 * triggers would have kept them. Walks ticket ids in order, one batch per transaction, from the cursor in the
 * `settings` row, for up to `sliceMs`.
 *
 * Each batch first locks the cursor row (SKIP LOCKED: a second worker finds it taken and leaves the walk to the first)
 * and then its tickets, before reading their messages. Every message write locks its ticket row (appendMessageRow,
 * merge and split update it), so a message committed before the lock is read by the UPDATE, and one written after
 * waits for this commit and then finds the refined bits, to which the message trigger adds its own. Only tickets that
 * still have the unknown bit are locked and written: newer tickets, whose bits the triggers kept from the start, are
 * never touched, and running the walk again changes nothing.
 */
export async function refineTicketScripts(
  db: Db,
  opts: RefineTicketScriptsOptions = {},
): Promise<RefineTicketScriptsResult> {
  const batchSize = opts.batchSize ?? REFINE_BATCH_SIZE;
  const sliceMs = opts.sliceMs ?? SLICE_MS;
  const started = Date.now();
  const result: RefineTicketScriptsResult = { batches: 0, refined: 0, done: false, busy: false };
  for (;;) {
    const step = await refineBatch(db, batchSize);
    if (step.kind === 'busy') return { ...result, busy: true };
    if (step.kind === 'done') return { ...result, done: true };
    result.batches += 1;
    result.refined += step.refined;
    if (step.last) {
      opts.log?.info({ refinedByThisJob: result.refined }, 'tickets.scripts: worked out for every ticket');
      return { ...result, done: true };
    }
    if (result.batches % LOG_EVERY_BATCHES === 0) {
      // ticket ids are random (UUID v4), so the cursor's first 32 bits tell how far along the id space the walk is
      const percent = Math.floor((Number.parseInt(step.after.slice(0, 8), 16) / 2 ** 32) * 100);
      opts.log?.info({ refined: result.refined, percent }, 'tickets.scripts: working out the bits of older tickets');
    }
    if (Date.now() - started >= sliceMs || opts.stopping?.()) return result;
  }
}

async function refineBatch(db: Db, batchSize: number): Promise<Step> {
  return db.transaction(async (tx): Promise<Step> => {
    const cursor = await tx.execute<{ after: string }>(sql`
      SELECT value->>'after' AS after FROM settings WHERE key = ${REFINE_TICKET_SCRIPTS_KEY} FOR UPDATE SKIP LOCKED`);
    const after = cursor.rows[0]?.after;
    if (after === undefined) {
      const exists = await tx.execute(sql`SELECT 1 FROM settings WHERE key = ${REFINE_TICKET_SCRIPTS_KEY}`);
      return { kind: exists.rows.length > 0 ? 'busy' : 'done' };
    }
    const unknown = SCRIPT.unknown;
    const locked = await tx.execute<{ id: string }>(sql`
      SELECT id FROM tickets WHERE id > ${after}::uuid AND (scripts & ${unknown}::smallint) <> 0
      ORDER BY id LIMIT ${batchSize} FOR UPDATE`);
    const ids = locked.rows.map((r) => r.id);
    const refined =
      ids.length === 0
        ? 0
        : ((
            await tx.execute(sql`
              UPDATE tickets t SET scripts = seva_text_scripts(t.search_text)
                | COALESCE((SELECT bit_or(seva_text_scripts(strip(m.search_vector)::text)) FROM messages m
                             WHERE m.ticket_id = t.id), 0::smallint)
              WHERE t.id = ANY(${sql.param(ids)}::uuid[]) AND (t.scripts & ${unknown}::smallint) <> 0`)
          ).rowCount ?? 0);
    const last = ids.length < batchSize;
    const next = ids.at(-1) ?? after;
    if (last) await tx.execute(sql`DELETE FROM settings WHERE key = ${REFINE_TICKET_SCRIPTS_KEY}`);
    else
      await tx.execute(sql`
        UPDATE settings SET value = jsonb_build_object('after', ${next}::text), updated_at = now()
        WHERE key = ${REFINE_TICKET_SCRIPTS_KEY}`);
    return { kind: 'batch', refined, after: next, last };
  });
}

/** Whether migration 0041 left tickets whose bits are still to work out (a primary-key lookup, no scan). */
export async function ticketScriptsLeftToRefine(db: Db): Promise<boolean> {
  const res = await db.execute(sql`SELECT 1 FROM settings WHERE key = ${REFINE_TICKET_SCRIPTS_KEY}`);
  return res.rows.length > 0;
}
