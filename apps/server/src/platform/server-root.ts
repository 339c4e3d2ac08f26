import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `apps/server` directory, found by walking up from this module to the package.json named `@seva/server`.
 * The server runs either from its TypeScript sources (through tsx) or from the precompiled bundle in
 * `apps/server/dist` (see `bin/seva.js`), so files beside the code (migrations, the web and widget builds, models)
 * are located from here rather than relative to each module's own path, which differs between the two.
 */
function findServerRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@seva/server')
      return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`@seva/server: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export const SERVER_ROOT = findServerRoot();

/** A path inside apps/server, e.g. `serverPath('drizzle')`. */
export function serverPath(...parts: string[]): string {
  return path.join(SERVER_ROOT, ...parts);
}
