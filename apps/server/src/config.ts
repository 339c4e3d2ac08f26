import path from 'node:path';
import { z } from 'zod';

/**
 * The only place that reads process.env. Every problem is reported at once, at boot.
 * Secrets are listed in SENSITIVE_KEYS and redacted from logs.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  SEVA_DATA_DIR: z.string().optional(),
  DATABASE_URL: z.string().url().optional(),
  SEVA_PUBLIC_URL: z.string().url().optional(),
  SEVA_SECRET: z.string().min(32).optional(),
  SEVA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEVA_MAX_ATTACHMENT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  SEVA_SECURE_COOKIES: z.enum(['auto', 'true', 'false']).default('auto'),
  SEVA_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  SEVA_ROLES: z.string().default('api,realtime,worker'),
  /** prepared statements for repeated queries; 'off' behind a pooler in transaction mode (platform/db/auto-prepare.ts) */
  SEVA_DB_PREPARED_STATEMENTS: z.enum(['on', 'off']).default('on'),
  /** signed-in credentials answered from memory (platform/auth/credential-cache.ts); 'off' reads them every request */
  SEVA_CREDENTIAL_CACHE: z.enum(['on', 'off']).default('on'),
  SEVA_METRICS_TOKEN: z.string().min(16).optional(),
  /** how often a worker records SLA warnings and breaches and runs escalations */
  SEVA_SLA_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /** how often a worker reminds owners of follow-ups that fell due */
  SEVA_FOLLOWUP_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  SEVA_CHAT_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(2),
  /** the SMTP listener (worker role); 0 = a random free port (the default under NODE_ENV=test) */
  SEVA_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** outbound relay for agent replies, e.g. smtp://user:pass@relay.example.com:587 or smtp://127.0.0.1:2526 */
  SEVA_SMTP_RELAY_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
    .optional(),
  /** largest message the SMTP listener accepts (552 beyond it); default fits a 25 MB attachment after base64 */
  SEVA_SMTP_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(36 * 1024 * 1024),
  /** bytes of an incoming message held in memory while it streams; beyond that it is spooled to the data directory */
  SEVA_SMTP_SPOOL_MEMORY_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(256 * 1024),
  /** inbound emails a worker process ingests at once */
  SEVA_EMAIL_WORKERS: z.coerce.number().int().min(1).max(32).default(4),
  /** STARTTLS on the SMTP listener: PEM certificate chain and private key files (both or neither) */
  SEVA_SMTP_TLS_CERT: z.string().min(1).optional(),
  SEVA_SMTP_TLS_KEY: z.string().min(1).optional(),
  /** refuse MAIL FROM (530) until the client has issued STARTTLS; needs the certificate */
  SEVA_SMTP_REQUIRE_TLS: z.enum(['true', 'false']).default('false'),
  /** TEST DOUBLES ONLY: loopback ports outbound calls to customer URLs may reach (comma list); never set in production */
  SEVA_UNSAFE_ALLOW_LOOPBACK_PORTS: z
    .string()
    .regex(/^\d{1,5}(,\d{1,5})*$/, 'a comma list of port numbers')
    .optional(),
});

export const SENSITIVE_KEYS = ['DATABASE_URL', 'SEVA_SECRET', 'SEVA_METRICS_TOKEN', 'SEVA_SMTP_RELAY_URL'] as const;

export type Role = 'api' | 'realtime' | 'worker';

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  dbPreparedStatements: boolean;
  credentialCache: boolean;
  publicUrl: string | undefined;
  secret: string | undefined;
  logLevel: string;
  maxAttachmentBytes: number;
  secureCookies: 'auto' | 'true' | 'false';
  rateLimitPerMinute: number;
  roles: Role[];
  /** bearer token that may read /metrics from anywhere (loopback needs none) */
  metricsToken: string | undefined;
  /** SMTP listener port (0 = random free port) */
  smtpPort: number;
  smtpRelayUrl: string | undefined;
  smtpMaxMessageBytes: number;
  /** see SEVA_SMTP_SPOOL_MEMORY_BYTES */
  smtpSpoolMemoryBytes: number;
  /** see SEVA_EMAIL_WORKERS */
  emailWorkers: number;
  /** STARTTLS on the listener (absolute paths), see SEVA_SMTP_TLS_CERT / SEVA_SMTP_TLS_KEY */
  smtpTls: { certFile: string; keyFile: string } | undefined;
  smtpRequireTls: boolean;
  /** see SEVA_SLA_SWEEP_SECONDS */
  slaSweepSeconds: number;
  /** see SEVA_FOLLOWUP_SWEEP_SECONDS */
  followupSweepSeconds: number;
  /** see SEVA_CHAT_SWEEP_SECONDS: how often chat offers escalate and queued chats are offered */
  chatSweepSeconds: number;
  /** see SEVA_UNSAFE_ALLOW_LOOPBACK_PORTS */
  unsafeAllowLoopbackPorts: number[];
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (Boolean(e.SEVA_SMTP_TLS_CERT) !== Boolean(e.SEVA_SMTP_TLS_KEY)) {
    throw new ConfigError([
      'SEVA_SMTP_TLS_CERT and SEVA_SMTP_TLS_KEY: set both (STARTTLS needs a certificate and its key) or neither',
    ]);
  }
  if (e.SEVA_SMTP_REQUIRE_TLS === 'true' && !e.SEVA_SMTP_TLS_CERT) {
    throw new ConfigError(['SEVA_SMTP_REQUIRE_TLS: needs SEVA_SMTP_TLS_CERT and SEVA_SMTP_TLS_KEY']);
  }
  const roles = e.SEVA_ROLES.split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const bad = roles.filter((r) => !['api', 'realtime', 'worker'].includes(r));
  if (bad.length > 0) throw new ConfigError([`SEVA_ROLES: unknown role(s) ${bad.join(', ')}`]);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.SEVA_DATA_DIR ?? 'data'),
    databaseUrl: e.DATABASE_URL,
    dbPreparedStatements: e.SEVA_DB_PREPARED_STATEMENTS === 'on',
    credentialCache: e.SEVA_CREDENTIAL_CACHE === 'on',
    publicUrl: e.SEVA_PUBLIC_URL,
    secret: e.SEVA_SECRET,
    logLevel: e.SEVA_LOG_LEVEL,
    maxAttachmentBytes: e.SEVA_MAX_ATTACHMENT_BYTES,
    secureCookies: e.SEVA_SECURE_COOKIES,
    rateLimitPerMinute: e.SEVA_RATE_LIMIT_PER_MINUTE,
    roles: roles as Role[],
    metricsToken: e.SEVA_METRICS_TOKEN,
    smtpPort: e.SEVA_SMTP_PORT ?? (e.NODE_ENV === 'test' ? 0 : 2525),
    smtpRelayUrl: e.SEVA_SMTP_RELAY_URL,
    smtpMaxMessageBytes: e.SEVA_SMTP_MAX_MESSAGE_BYTES,
    smtpSpoolMemoryBytes: e.SEVA_SMTP_SPOOL_MEMORY_BYTES,
    emailWorkers: e.SEVA_EMAIL_WORKERS,
    smtpTls:
      e.SEVA_SMTP_TLS_CERT && e.SEVA_SMTP_TLS_KEY
        ? { certFile: path.resolve(cwd, e.SEVA_SMTP_TLS_CERT), keyFile: path.resolve(cwd, e.SEVA_SMTP_TLS_KEY) }
        : undefined,
    smtpRequireTls: e.SEVA_SMTP_REQUIRE_TLS === 'true',
    slaSweepSeconds: e.SEVA_SLA_SWEEP_SECONDS,
    followupSweepSeconds: e.SEVA_FOLLOWUP_SWEEP_SECONDS,
    chatSweepSeconds: e.SEVA_CHAT_SWEEP_SECONDS,
    unsafeAllowLoopbackPorts: e.SEVA_UNSAFE_ALLOW_LOOPBACK_PORTS
      ? e.SEVA_UNSAFE_ALLOW_LOOPBACK_PORTS.split(',').map(Number)
      : [],
  };
}
