import type { Deps } from '../../platform/deps.ts';
import { createJobs, type Jobs } from '../../platform/jobs/jobs.ts';
import type { SafeFetchOptions } from '../../platform/net/safe-fetch.ts';
import { createSecretBox, loadCredentialsKey, type SecretBox } from '../email/secret-box.ts';
import { CHANNEL_JOBS } from './channels.jobs.ts';

/** What the channels module's plugins share within one app: the job queue, the credentials box, network options. */
export interface ChannelsRuntime {
  jobs: Jobs;
  box: SecretBox;
  /** options every provider/callback call passes to safeFetch */
  net: Pick<SafeFetchOptions, 'allowLoopbackPorts' | 'timeoutMs'>;
}

const runtimes = new WeakMap<Deps, ChannelsRuntime>();
let testLoopbackPorts: number[] = [];

/**
 * TESTS ONLY: lets channel calls reach fake provider servers on these loopback ports (set before the call; it is
 * read on every call). Production code never calls this, so loopback and private addresses stay refused.
 */
export function allowChannelLoopbackPortsForTests(ports: number[]): void {
  testLoopbackPorts = [...ports];
}

export function channelsRuntime(deps: Deps, onError: (err: Error) => void): ChannelsRuntime {
  let rt = runtimes.get(deps);
  if (!rt) {
    let box: SecretBox | null = null;
    const lazyBox = (): SecretBox => {
      box ??= createSecretBox(loadCredentialsKey({ secret: deps.config.secret, dataDir: deps.config.dataDir }));
      return box;
    };
    rt = {
      jobs: createJobs(deps.database.url, { definitions: CHANNEL_JOBS, onError }),
      box: { seal: (p) => lazyBox().seal(p), open: (s) => lazyBox().open(s) },
      net: {
        timeoutMs: 15_000,
        get allowLoopbackPorts() {
          return [...testLoopbackPorts, ...(deps.config.unsafeAllowLoopbackPorts ?? [])];
        },
      },
    };
    runtimes.set(deps, rt);
  }
  return rt;
}
