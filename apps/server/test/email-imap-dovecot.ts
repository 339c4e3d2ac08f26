import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

/**
 * A real dovecot (Debian's dovecot-imapd) for the IMAP fetcher tests: its own base_dir, config, passwd-file users,
 * maildirs and a self-signed certificate, all in a temporary directory, on free loopback ports. Plain IMAP on
 * `port` (STARTTLS offered), implicit TLS on `tlsPort`.
 */
export interface Dovecot {
  host: string;
  port: number;
  tlsPort: number;
  password(user: string): string;
  /** APPEND a raw message for a user (as a mail delivery would); returns its UID */
  deliver(user: string, raw: string | Buffer): Promise<number>;
  /** flags per UID in the user's INBOX */
  flags(user: string): Promise<Map<number, Set<string>>>;
  /** stop, drop the user's UID list and indexes (so the folder gets a new UIDVALIDITY and new UIDs), start */
  resetUidValidity(user: string): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

const DOVECOT_BINARIES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];

function findDovecot(): string {
  const found = DOVECOT_BINARIES.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      'dovecot is not installed, so the IMAP fetcher cannot be tested against a real IMAP server. Install it with ' +
        '`apt-get install -y --no-install-recommends dovecot-imapd` (CI does this in .ci/run).',
    );
  }
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() - start > ms) throw new Error(`dovecot did not listen on ${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitForPortClosed(port: number, ms = 10_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (!open) return;
    if (Date.now() - start > ms) throw new Error(`dovecot still listens on ${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startDovecot(opts: { users: string[] }): Promise<Dovecot> {
  const binary = findDovecot();
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'seva-dovecot-'));
  await fsp.chmod(dir, 0o755);
  const isRoot = process.getuid?.() === 0;
  // dovecot refuses to run its login processes or to access mail as root
  const mailUser = isRoot ? 'nobody' : os.userInfo().username;
  const mailUid = Number(execFileSync('id', ['-u', mailUser]).toString().trim());
  const mailGid = Number(execFileSync('id', ['-g', mailUser]).toString().trim());
  const internalUser = isRoot ? 'root' : os.userInfo().username;
  for (const d of ['run', 'state', 'mail']) await fsp.mkdir(path.join(dir, d));
  await fsp.chown(path.join(dir, 'mail'), mailUid, mailGid);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const passwords = new Map(opts.users.map((u) => [u, `pw-${u}-${Math.random().toString(36).slice(2, 10)}`]));
  await fsp.writeFile(path.join(dir, 'passwd'), [...passwords].map(([u, p]) => `${u}:{PLAIN}${p}::::::\n`).join(''), {
    mode: 0o644,
  });
  const port = await freePort();
  const tlsPort = await freePort();
  const conf = path.join(dir, 'dovecot.conf');
  await fsp.writeFile(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
instance_name = seva-test-${path.basename(dir)}
protocols = imap
listen = 127.0.0.1
default_internal_user = ${internalUser}
default_internal_group = ${isRoot ? 'root' : internalUser}
default_login_user = ${mailUser}
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <${dir}/cert.pem
ssl_key = <${dir}/key.pem
mail_location = maildir:${dir}/mail/%u
mailbox_idle_check_interval = 1 secs
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${tlsPort}
    ssl = yes
  }
  chroot =
}
service anvil {
  chroot =
}
`,
  );

  let proc: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    if (proc) return;
    // its own process group, so an outage can take the master and every child down at once
    const p = spawn(binary, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    p.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    exited = new Promise((resolve) => p.once('exit', () => resolve()));
    proc = p;
    try {
      await Promise.race([
        waitForPort(port),
        exited.then(() => {
          throw new Error(`dovecot exited at start: ${stderr}`);
        }),
      ]);
      await waitForPort(tlsPort);
    } catch (err) {
      const log = await fsp.readFile(path.join(dir, 'dovecot.log'), 'utf8').catch(() => '');
      throw new Error(`${(err as Error).message}\n${log}`);
    }
  };
  /** an outage: dovecot and all its processes killed at once (a graceful stop takes it several seconds) */
  const stop = async () => {
    const p = proc;
    if (!p || p.pid === undefined) return;
    proc = null;
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      p.kill('SIGKILL');
    }
    await exited;
    await waitForPortClosed(port);
    await waitForPortClosed(tlsPort);
    await fsp.rm(path.join(dir, 'run', 'master.pid'), { force: true });
  };

  const connect = async (user: string) => {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass: passwords.get(user) ?? '' },
      logger: false,
      disableAutoIdle: true,
    });
    c.on('error', () => {});
    await c.connect();
    return c;
  };

  await start();
  return {
    host: '127.0.0.1',
    port,
    tlsPort,
    password: (user) => {
      const p = passwords.get(user);
      if (!p) throw new Error(`no dovecot user ${user}`);
      return p;
    },
    async deliver(user, raw) {
      const c = await connect(user);
      try {
        const res = await c.append('INBOX', raw);
        const uid = res === false ? undefined : res.uid;
        if (!uid) throw new Error('APPEND returned no UID');
        return uid;
      } finally {
        await c.logout().catch(() => c.close());
      }
    },
    async flags(user) {
      const c = await connect(user);
      try {
        await c.mailboxOpen('INBOX');
        const out = new Map<number, Set<string>>();
        if (c.mailbox ? c.mailbox.exists > 0 : false) {
          for await (const m of c.fetch('1:*', { uid: true, flags: true })) out.set(m.uid, m.flags ?? new Set());
        }
        return out;
      } finally {
        await c.logout().catch(() => c.close());
      }
    },
    async resetUidValidity(user) {
      await stop();
      const home = path.join(dir, 'mail', user);
      for (const f of await fsp.readdir(home)) {
        if (f.startsWith('dovecot')) await fsp.rm(path.join(home, f), { force: true });
      }
      // without its index files dovecot takes the current time in seconds as the new UIDVALIDITY: within the second
      // the folder was created in, that is the old value again and nothing changed (seen once in CI)
      await new Promise((r) => setTimeout(r, 1100));
      await start();
    },
    start,
    stop,
    async close() {
      await stop();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}
