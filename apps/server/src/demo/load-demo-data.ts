import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';

export interface DemoOptions {
  ticketCount: number;
}

/** Loads generated demo data. Filled in by the demo module. */
export async function loadDemoData(deps: { db: Db; clock: Clock }, opts: DemoOptions): Promise<Record<string, number>> {
  void deps;
  return { tickets: 0, requested: opts.ticketCount };
}
