#!/usr/bin/env node
// The `seva` command. Runs the precompiled server (dist/seva.mjs, built by `npm run build` or `npm start`) when it
// is newer than every source file it was built from; otherwise the TypeScript sources through tsx, so a changed
// source is never served stale and there is no build step to forget during development.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(serverDir, 'dist', 'seva.mjs');

function newestSource(dir) {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) max = Math.max(max, newestSource(p));
    else max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

function bundleIsFresh() {
  if (process.env.SEVA_FROM_SOURCE === '1' || !existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  const sources = [path.join(serverDir, 'src'), path.join(serverDir, '..', '..', 'packages', 'contracts', 'src')];
  return sources.every((dir) => !existsSync(dir) || newestSource(dir) <= built);
}

if (bundleIsFresh()) {
  process.env.SEVA_RUNTIME = 'precompiled';
  process.setSourceMapsEnabled(true); // stack traces name the TypeScript sources, not the bundle's lines
  await import(bundle);
} else {
  process.env.SEVA_RUNTIME = 'source';
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
