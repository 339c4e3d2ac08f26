import type { IngestDeps } from './ingest-inbound-email.ts';
import { processNextInboundEmail } from './process-inbound-email.job.ts';

/** how often an idle worker looks for mail stored by another process (this process's stores wake it at once) */
export const INBOUND_POLL_MS = 500;
/** the pause after the database could not be asked (it is down, say) */
const ERROR_PAUSE_MS = 1_000;

export interface InboundQueue {
  /** a mail was stored in this process: an idle worker takes it now instead of at its next look */
  wake(): void;
  /** stops taking mail and waits for the mails in hand to finish */
  stop(): Promise<void>;
}

/**
 * The workers that ingest stored inbound mail. The `inbound_emails` table is the queue
 * ([decision 0013](../../../../../docs/decisions/0013-inbound-mail-table-queue.md)): a stored mail is `received`
 * and due, and each of `workers` loops takes the oldest due mail with one statement (SKIP LOCKED, the attempt
 * counted and a lease of INBOUND_LEASE_SECONDS taken), ingests it, and looks again at once. An attempt that fails
 * sets the mail's retry time (2, 4, 8, 16 s); the fifth failure quarantines it. A mail taken by a process that dies
 * is taken again when its lease ends.
 */
export function startInboundQueue(
  deps: IngestDeps,
  opts: { workers: number; log: { warn(obj: object, msg: string): void } },
): InboundQueue {
  let running = true;
  const sleepers = new Set<() => void>();
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });
  const wakeAll = () => {
    for (const s of [...sleepers]) s();
  };

  async function loop(): Promise<void> {
    let failing = false;
    while (running) {
      let outcome: Awaited<ReturnType<typeof processNextInboundEmail>>;
      try {
        outcome = await processNextInboundEmail(deps);
        failing = false;
      } catch (err) {
        // a failed attempt is already recorded with its retry time; one warning per run of failures
        if (!failing) opts.log.warn({ err }, 'email: ingesting an inbound mail failed; it will be tried again');
        failing = true;
        await nap(ERROR_PAUSE_MS);
        continue;
      }
      if (outcome === null && running) await nap(INBOUND_POLL_MS);
    }
  }

  const loops = Array.from({ length: opts.workers }, () => loop());
  return {
    wake() {
      // one sleeper is enough for one mail; the others keep their rhythm
      const [first] = sleepers;
      first?.();
    },
    async stop() {
      running = false;
      wakeAll();
      await Promise.all(loops);
    },
  };
}
