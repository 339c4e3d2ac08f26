import type { IngestDeps } from '../src/modules/email/ingest-inbound-email.ts';
import type { Jobs } from '../src/platform/jobs/jobs.ts';
import type { TestApp } from './harness.ts';

/**
 * What ingesting a mail needs, for a test that drives the inbound queue by hand (an app without the worker role, so
 * no background worker races it). Jobs the ingest sends (acknowledgements) go nowhere.
 */
export function handDrivenIngestDeps(t: TestApp, now: () => Date = () => new Date()): IngestDeps {
  return {
    db: t.deps.db,
    pool: t.deps.database.pool,
    jobs: { send: async () => null } as unknown as Jobs,
    config: t.config,
    now,
  };
}
