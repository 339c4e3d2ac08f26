#!/usr/bin/env node
// The `seva` command. Runs the precompiled server (dist/seva.mjs, built by `npm run build` or `npm start`) when it
// is newer than every source file it was built from; otherwise the TypeScript sources through tsx, so a changed
// source is never served stale and there is no build step to forget during development.
import { SERVER_BUNDLE, serverBundleIsFresh } from '../scripts/bundle-freshness.mjs';

if (process.env.SEVA_FROM_SOURCE !== '1' && serverBundleIsFresh()) {
  process.env.SEVA_RUNTIME = 'precompiled';
  process.setSourceMapsEnabled(true); // stack traces name the TypeScript sources, not the bundle's lines
  await import(SERVER_BUNDLE);
} else {
  process.env.SEVA_RUNTIME = 'source';
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
