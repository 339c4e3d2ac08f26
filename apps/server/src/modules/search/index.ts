import type { FastifyInstance } from 'fastify';
import { createJobs, type Jobs } from '../../platform/jobs/jobs.ts';
import { refineTicketScripts, ticketScriptsLeftToRefine } from './refine-ticket-scripts.job.ts';
import { refineTicketScriptsJob, SEARCH_JOBS } from './search.jobs.ts';
import { searchRoutes } from './search.routes.ts';

/**
 * The search module: tickets (subjects, messages, internal notes) and customers, in English, Bengali and Hindi.
 * In worker processes, while migration 0041 has left older tickets' writing systems to work out, it runs the job that
 * does (its own pg-boss queue, started only then: a desk with nothing left opens no queue here).
 */
export async function searchModule(app: FastifyInstance): Promise<void> {
  await app.register(searchRoutes);

  const deps = app.deps;
  let jobs: Jobs | null = null;
  let closing = false;
  app.addHook('onReady', async () => {
    if (!deps.config.roles.includes('worker')) return;
    if (!(await ticketScriptsLeftToRefine(deps.db))) return;
    const queue = createJobs(deps.database.url, {
      definitions: SEARCH_JOBS,
      onError: (err) => app.log.error({ err }, 'search jobs'),
    });
    jobs = queue;
    await queue.start();
    await queue.work(
      refineTicketScriptsJob,
      async () => {
        const r = await refineTicketScripts(deps.db, { stopping: () => closing, log: app.log });
        // a slice ended with work left: the sequel goes on (here or in another worker) from the stored cursor
        if (!r.done && !r.busy) await queue.send(refineTicketScriptsJob, {});
      },
      { pollingIntervalSeconds: 2 },
    );
    // every worker starting sends one; the ones that find another worker's batch in progress end at once
    await queue.send(refineTicketScriptsJob, {});
  });
  app.addHook('onClose', async () => {
    closing = true;
    await jobs?.stop();
  });
}

export { buildSnippet, escapeHtml } from './snippet.ts';
