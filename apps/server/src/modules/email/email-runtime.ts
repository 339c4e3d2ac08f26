import type { Deps } from '../../platform/deps.ts';
import { createJobs, type Jobs } from '../../platform/jobs/jobs.ts';
import { EMAIL_JOBS } from './email.jobs.ts';
import type { ImapFetcher } from './imap-fetcher.ts';
import { createSecretBox, loadCredentialsKey, type SecretBox } from './secret-box.ts';

/** What the email module's plugins share within one app: the job queue and the credentials box. */
export interface EmailRuntime {
  jobs: Jobs;
  box: SecretBox;
  /** the SMTP listener's port once the worker role has started it */
  smtpPort?: number;
  /** the IMAP fetcher once the worker role has started it */
  imap?: ImapFetcher;
  /**
   * tells this process's ingest workers a mail was stored (a no-op in a process without the worker role: the
   * workers of other processes find it at their next look, inbound-queue.ts)
   */
  wakeInbound: () => void;
}

const runtimes = new WeakMap<Deps, EmailRuntime>();

export function emailRuntime(deps: Deps, onError: (err: Error) => void): EmailRuntime {
  let rt = runtimes.get(deps);
  if (!rt) {
    let box: SecretBox | null = null;
    // the key file (when SEVA_SECRET is unset) is created the first time a credential is sealed or opened
    const lazyBox = (): SecretBox => {
      box ??= createSecretBox(loadCredentialsKey({ secret: deps.config.secret, dataDir: deps.config.dataDir }));
      return box;
    };
    rt = {
      jobs: createJobs(deps.database.url, { definitions: EMAIL_JOBS, onError }),
      box: { seal: (p) => lazyBox().seal(p), open: (s) => lazyBox().open(s) },
      wakeInbound: () => {},
    };
    runtimes.set(deps, rt);
  }
  return rt;
}
