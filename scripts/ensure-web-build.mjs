// Builds the agent web app, the help widget and the precompiled server when a bundle is missing or older than its
// sources, so `npm start` always serves the current code without a separate build step.
// `node scripts/ensure-web-build.mjs widget` (or `web`, `server`) checks only that one.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime, newestServerSource, SERVER_BUNDLE } from '../apps/server/scripts/bundle-freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const contracts = newestMtime(path.join(root, 'packages/contracts/src'));

const apps = [
  {
    name: 'web',
    label: 'the web app',
    markers: [path.join(root, 'apps/web/dist/index.html')],
    sources: () =>
      Math.max(newestMtime(path.join(root, 'apps/web/src')), mtime(path.join(root, 'apps/web/index.html')), contracts),
  },
  {
    name: 'widget',
    label: 'the help widget',
    markers: [
      path.join(root, 'apps/widget/dist/loader/widget.js'),
      path.join(root, 'apps/widget/dist/frame/.vite/manifest.json'),
    ],
    sources: () =>
      Math.max(
        newestMtime(path.join(root, 'apps/widget/src')),
        mtime(path.join(root, 'apps/widget/vite.frame.config.ts')),
        mtime(path.join(root, 'apps/widget/vite.loader.config.ts')),
        contracts,
      ),
  },
  {
    name: 'server',
    label: 'the server',
    markers: [SERVER_BUNDLE],
    sources: newestServerSource,
  },
];

const only = process.argv[2];
for (const app of apps) {
  if (only && only !== app.name) continue;
  const sources = app.sources();
  const stale = app.markers.some((m) => !existsSync(m) || statSync(m).mtimeMs < sources);
  if (stale) {
    process.stdout.write(`Building ${app.label}…\n`);
    execSync(`npm run build -w apps/${app.name}`, { cwd: root, stdio: 'inherit' });
  }
}
