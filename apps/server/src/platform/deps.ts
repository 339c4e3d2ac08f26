import type { Config } from '../config.ts';
import type { Clock } from './clock.ts';
import type { Database } from './db/client.ts';
import type { Db } from './db/client.ts';

/** What services need from the platform. Passed explicitly; tests build their own. */
export interface Deps {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps;
  }
}
