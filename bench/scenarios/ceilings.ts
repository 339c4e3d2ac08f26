import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { runLoad } from '../load.ts';
import type { BenchReport } from '../report.ts';
import { freePort, ROOT, stopChild, waitForHealth } from '../support/seva-process.ts';

/**
 * The same machine's ceilings, measured in the same run so results read as ratios: a bare Fastify hello-world in its
 * own process, and pgbench running the insert transaction a ticket create is at its core (ticket + first message +
 * event), when pgbench is installed.
 */
export async function measureCeilings(opts: {
  databaseUrl: string;
  /** where the pgbench script is written */
  dir: string;
  duration: number;
  connections: number;
  /** children to stop if the run is interrupted */
  track: (child: ChildProcess) => void;
  log: (m: string) => void;
}): Promise<BenchReport['ceilings']> {
  const { duration, connections } = opts;
  const helloPort = await freePort();
  const hello = spawn(
    process.execPath,
    [
      '-e',
      `require('fastify')().get('/', async () => ({ hello: 'world' })).listen({ port: ${helloPort}, host: '127.0.0.1' })`,
    ],
    { cwd: ROOT, stdio: 'ignore' },
  );
  opts.track(hello);
  await waitForHealth(`http://127.0.0.1:${helloPort}/`, hello, () => '', 30_000);
  const helloResult = await runLoad({
    name: 'ceiling: bare Fastify hello-world',
    url: `http://127.0.0.1:${helloPort}`,
    headers: {},
    duration,
    connections,
    next: () => ({ path: '/' }),
  });
  await stopChild(hello);

  const pgbench = [
    '/usr/lib/postgresql/18/bin/pgbench',
    '/usr/lib/postgresql/17/bin/pgbench',
    '/usr/lib/postgresql/16/bin/pgbench',
    '/usr/lib/postgresql/15/bin/pgbench',
  ].find((p) => existsSync(p));
  if (!pgbench) {
    opts.log('pgbench not installed (apt-get install postgresql): that ceiling is left out of this run');
    return { fastifyHelloRps: helloResult.rps, pgbenchInsertTps: null };
  }
  const script = path.join(opts.dir, 'insert.sql');
  await fs.writeFile(
    script,
    `BEGIN;
WITH t AS (INSERT INTO tickets (id, subject, channel, customer_id, search_text, last_seq, message_count) VALUES (gen_random_uuid(), 'pgbench ticket', 'api', (SELECT id FROM customers LIMIT 1), 'pgbench ticket', 1, 1) RETURNING id),
     m AS (INSERT INTO messages (ticket_id, seq, kind, author_type, channel, body_text, search_text) SELECT id, 1, 'public', 'customer', 'api', 'My refund has not arrived yet', 'my refund has not arrived yet' FROM t)
INSERT INTO events (type, ticket_id, actor_type) SELECT 'ticket.created', id, 'system' FROM t;
COMMIT;
`,
  );
  const out = execFileSync(
    pgbench,
    ['-n', '-c', String(connections), '-j', '2', '-T', String(duration), '-f', script, opts.databaseUrl],
    { encoding: 'utf8' },
  );
  const tps = Math.round(Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0));
  opts.log(`pgbench insert transaction: ${tps} tps`);
  return { fastifyHelloRps: helloResult.rps, pgbenchInsertTps: tps };
}
