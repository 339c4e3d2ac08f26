import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const embedded = path.resolve(here, '../src/platform/db/embedded.ts');

describe('exit codes', () => {
  it('keeps a failing exit code once embedded PostgreSQL is loaded (CI must see failed runs)', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `await import(${JSON.stringify(embedded)}); process.exitCode = 3;`],
      { cwd: path.resolve(here, '..'), encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
  });
});
