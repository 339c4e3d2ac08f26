import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { pendingMigrationCount, runMigrations } from './platform/db/migrate.ts';
import { openDatabase } from './platform/db/open.ts';

export interface ServeOptions {
  /** apply pending migrations first, in this process (`seva serve --migrate`, what `npm start` runs) */
  migrate?: boolean;
}

/**
 * Starts Seva: database, HTTP (+ WebSocket), workers. Refuses to serve an unmigrated database unless asked to
 * migrate it first — in the same process, so the embedded PostgreSQL starts once rather than once to migrate
 * and again to serve.
 */
export async function serve(config: Config, opts: ServeOptions = {}): Promise<{ close(): Promise<void>; url: string }> {
  // where start-up time goes, in the ready line's log (ms since serve() began)
  const t0 = performance.now();
  const since = () => Math.round(performance.now() - t0);
  const phases: Record<string, number> = {};
  const opened = await openDatabase(config);
  phases.database = since();
  if (opts.migrate) {
    try {
      await runMigrations(opened.handle.url);
    } catch (err) {
      await opened.close();
      throw err;
    }
  }
  // after --migrate nothing is pending (runMigrations applied every file on disk), so only plain serve counts
  const pending = opts.migrate ? 0 : await pendingMigrationCount(opened.handle.url);
  if (pending > 0) {
    await opened.close();
    throw new Error(
      `${pending} migration(s) not applied: run \`npx seva migrate\` first (npm start does this), or start with \`seva serve --migrate\`.`,
    );
  }
  phases.migrations = since();
  const app = await buildApp({ config, database: opened.database });
  phases.built = since();
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close();
    await opened.close();
    throw new Error(`Seva could not listen on ${config.host}:${config.port}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  phases.listening = since();
  app.log.info({ url, dataDir: config.databaseUrl ? undefined : config.dataDir, startupMs: phases }, 'Seva is ready');
  return {
    url,
    close: async () => {
      await app.close();
      await opened.close();
    },
  };
}
