import type { Deps } from '../../platform/deps.ts';
import { createJobs, type Jobs } from '../../platform/jobs/jobs.ts';
import { INSIGHTS_JOBS } from './insights.jobs.ts';

/** The job queue of the insights area (survey emails, spike alert emails, scheduled reports), one per app. */
export interface InsightsRuntime {
  jobs: Jobs;
}

const runtimes = new WeakMap<Deps, InsightsRuntime>();

export function insightsRuntime(deps: Deps, onError: (err: Error) => void): InsightsRuntime {
  let rt = runtimes.get(deps);
  if (!rt) {
    // this queue runs pg-boss's cron clock (the report schedule); pg-boss debounces it across processes
    rt = { jobs: createJobs(deps.database.url, { definitions: INSIGHTS_JOBS, onError, schedule: true }) };
    runtimes.set(deps, rt);
  }
  return rt;
}
