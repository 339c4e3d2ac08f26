import { createRequire } from 'node:module';
import PgBoss from 'pg-boss';
import type { z } from 'zod';

/**
 * pg-boss 10 records a finished job's completion or failure without awaiting it. With the database gone (a
 * PostgreSQL restart) that promise rejects with nobody listening, and an unhandled rejection ends the Node process.
 * Mark those promises handled (anyone awaiting them still sees the error): the job stays active, expires and runs
 * again, which every handler tolerates (jobs are idempotent). test/email-fault-postgres.test.ts covers it.
 */
const PgBossManager = createRequire(import.meta.url)('pg-boss/src/manager.js') as {
  prototype: Record<'complete' | 'fail', (...args: unknown[]) => Promise<unknown>>;
};
for (const method of ['complete', 'fail'] as const) {
  const original = PgBossManager.prototype[method];
  PgBossManager.prototype[method] = function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    result.catch(() => {});
    return result;
  };
}

/**
 * Background jobs on PostgreSQL (pg-boss 10): typed declarations, retries with exponential backoff, and sending
 * inside the caller's transaction so a job exists exactly when the row that needs it exists.
 *
 * The pg-boss schema is created by a migration (`seva migrate`), so starting here only checks its version.
 */
export interface JobDefinition<P> {
  /** letters, digits, dots, dashes and underscores */
  name: string;
  /** bump when the payload shape changes incompatibly; old and new run side by side */
  version: number;
  payload: z.ZodType<P>;
  /** attempts after the first (default 5) */
  retryLimit?: number;
  /** first retry delay in seconds, doubled each time (default 5) */
  retryDelaySeconds?: number;
  /** a single attempt may run this long before it counts as failed (default 300) */
  expireInSeconds?: number;
}

export function defineJob<P>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}

/** A connection inside an open transaction (node-postgres PoolClient or Client). */
export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface SendJobOptions {
  /** send as part of this client's open transaction */
  client?: SqlClient;
  /**
   * Recorded with the job, and nothing more: Seva's queues use pg-boss's 'standard' policy, which de-duplicates by
   * key only together with singletonSeconds (its unique indexes cover the 'short', 'singleton' and 'stately'
   * policies). A job sent twice runs twice, so every handler must be idempotent on its own (the email sender claims
   * its outbound row, for one).
   */
  singletonKey?: string;
  startAfterSeconds?: number;
}

export interface JobContext {
  jobId: string;
  /** 0 on the first attempt */
  retryCount: number;
  retryLimit: number;
}

export type JobHandler<P> = (payload: P, ctx: JobContext) => Promise<void>;

export interface Jobs {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** creates the queue if needed; `start()` creates the queues of every definition passed to createJobs */
  send<P>(def: JobDefinition<P>, payload: P, opts?: SendJobOptions): Promise<string | null>;
  work<P>(def: JobDefinition<P>, handler: JobHandler<P>, opts?: { pollingIntervalSeconds?: number }): Promise<void>;
  /**
   * a pg-boss cron schedule (one per queue, kept in the database, so every process agrees): the job is sent when
   * the cron expression matches; needs `schedule: true` in one running process
   */
  schedule<P>(def: JobDefinition<P>, cron: string, payload: P, opts?: { tz?: string }): Promise<void>;
  readonly started: boolean;
}

export function queueName(def: JobDefinition<unknown>): string {
  return `${def.name}__v${def.version}`;
}

export interface CreateJobsOptions {
  /** job definitions whose queues `start()` creates */
  definitions?: JobDefinition<never>[] | JobDefinition<any>[];
  onError?: (err: Error) => void;
  /** run pg-boss's clock: send the jobs of cron schedules (`Jobs.schedule`) when due */
  schedule?: boolean;
}

export function createJobs(url: string, opts: CreateJobsOptions = {}): Jobs {
  const boss = new PgBoss({
    connectionString: url,
    application_name: 'seva-jobs',
    max: 4,
    schema: 'pgboss',
    migrate: true,
    supervise: true,
    schedule: opts.schedule ?? false,
  });
  boss.on('error', (err) => opts.onError?.(err));
  let started = false;
  const knownQueues = new Set<string>();

  async function ensureQueue(def: JobDefinition<unknown>): Promise<void> {
    const name = queueName(def);
    if (knownQueues.has(name)) return;
    // Processes starting together create the same queues at once; pg-boss's DDL for that can deadlock or collide.
    // The loser waits a moment and looks again: by then the other has created it (or it tries once more).
    for (let attempt = 1; !(await boss.getQueue(name)); attempt += 1) {
      try {
        await boss.createQueue(name, {
          name,
          policy: 'standard',
          retryLimit: def.retryLimit ?? 5,
          retryDelay: def.retryDelaySeconds ?? 5,
          retryBackoff: true,
          expireInSeconds: def.expireInSeconds ?? 300,
        });
      } catch (err) {
        if (attempt >= 5) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.floor(Math.random() * 100)));
      }
    }
    knownQueues.add(name);
  }

  return {
    get started() {
      return started;
    },
    async start() {
      if (started) return;
      await boss.start();
      started = true;
      for (const def of (opts.definitions ?? []) as JobDefinition<unknown>[]) await ensureQueue(def);
    },
    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
    async send(def, payload, sendOpts = {}) {
      const data = def.payload.parse(payload) as object;
      await ensureQueue(def as JobDefinition<unknown>);
      const client = sendOpts.client;
      return boss.send(queueName(def as JobDefinition<unknown>), data, {
        retryLimit: def.retryLimit ?? 5,
        retryDelay: def.retryDelaySeconds ?? 5,
        retryBackoff: true,
        expireInSeconds: def.expireInSeconds ?? 300,
        ...(sendOpts.singletonKey ? { singletonKey: sendOpts.singletonKey } : {}),
        ...(sendOpts.startAfterSeconds ? { startAfter: sendOpts.startAfterSeconds } : {}),
        ...(client
          ? {
              db: {
                executeSql: (text: string, values: unknown[]) => client.query(text, values) as Promise<{ rows: any[] }>,
              },
            }
          : {}),
      });
    },
    async schedule(def, cron, payload, scheduleOpts = {}) {
      const data = def.payload.parse(payload) as object;
      await ensureQueue(def as JobDefinition<unknown>);
      await boss.schedule(queueName(def as JobDefinition<unknown>), cron, data, {
        tz: scheduleOpts.tz ?? 'UTC',
        retryLimit: def.retryLimit ?? 5,
        retryDelay: def.retryDelaySeconds ?? 5,
        retryBackoff: true,
        expireInSeconds: def.expireInSeconds ?? 300,
      });
    },
    async work(def, handler, workOpts = {}) {
      await ensureQueue(def as JobDefinition<unknown>);
      let workerId: string | undefined;
      workerId = await boss.work<unknown>(
        queueName(def as JobDefinition<unknown>),
        { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: workOpts.pollingIntervalSeconds ?? 2 },
        async (batch) => {
          // pg-boss waits out the polling interval after every fetch, even one that found a job: with one job per
          // fetch that caps a worker at 1/interval jobs a second. Found one → fetch again at once; an empty queue
          // still waits the interval.
          if (batch.length > 0 && workerId) boss.notifyWorker(workerId);
          for (const job of batch) {
            const parsed = def.payload.safeParse(job.data);
            // a payload that can never be valid is not retried: it would fail the same way every time
            if (!parsed.success) {
              opts.onError?.(new Error(`job ${job.name} ${job.id} has an invalid payload: ${parsed.error.message}`));
              continue;
            }
            await handler(parsed.data, { jobId: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit });
          }
        },
      );
    },
  };
}
