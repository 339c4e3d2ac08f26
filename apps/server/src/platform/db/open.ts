import type { Config } from '../../config.ts';
import { checkDatabaseEncoding, connectDatabase, type Database } from './client.ts';
import { type DatabaseHandle, startEmbeddedPostgres } from './embedded.ts';

export interface OpenedDatabase {
  handle: DatabaseHandle;
  database: Database;
  close(): Promise<void>;
}

/** The external server when DATABASE_URL is set; otherwise the embedded one under SEVA_DATA_DIR (reused if running). */
export async function resolveDatabaseUrl(config: Config): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, owned: false, stop: async () => {} };
  // never the server's own ports: a free port the OS just gave whoever chose PORT may come round again
  const avoidPorts = [config.port, config.smtpPort].filter((p) => p > 0);
  return startEmbeddedPostgres({ dataDir: config.dataDir, avoidPorts });
}

export async function openDatabase(config: Config, opts: { max?: number } = {}): Promise<OpenedDatabase> {
  const handle = await resolveDatabaseUrl(config);
  const database = connectDatabase(handle.url, { ...opts, preparedStatements: config.dbPreparedStatements });
  try {
    await checkDatabaseEncoding(database.pool);
  } catch (err) {
    await database.close();
    await handle.stop();
    throw err;
  }
  return {
    handle,
    database,
    close: async () => {
      await database.close();
      await handle.stop();
    },
  };
}
