// Which sources the precompiled server (dist/seva.mjs) is built from, and whether it is newer than all of them.
// Shared by `bin/seva.js` (run the bundle or the sources?) and `scripts/ensure-web-build.mjs` (rebuild it?), so the
// two never disagree about what makes the bundle current.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_BUNDLE = path.join(serverDir, 'dist', 'seva.mjs');
const SOURCES = [path.join(serverDir, 'src'), path.join(serverDir, '..', '..', 'packages', 'contracts', 'src')];

/** The newest modification time of any file under `dir`. */
export function newestMtime(dir) {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) max = Math.max(max, newestMtime(p));
    else max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

/** The newest modification time of any source the bundle is built from. */
export function newestServerSource() {
  return Math.max(...SOURCES.filter((dir) => existsSync(dir)).map(newestMtime));
}

/** True when the bundle exists and is at least as new as every source it is built from. */
export function serverBundleIsFresh() {
  return existsSync(SERVER_BUNDLE) && newestServerSource() <= statSync(SERVER_BUNDLE).mtimeMs;
}
