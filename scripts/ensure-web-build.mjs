// Builds the agent web app, the help widget and the precompiled server when a bundle is missing or older than its
// sources, so `npm start` always serves the current code without a separate build step.
// `node scripts/ensure-web-build.mjs widget` (or `web`, `server`) checks only that one.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newest(dir) {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) max = Math.max(max, newest(p));
    else max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const contracts = newest(path.join(root, 'packages/contracts/src'));

const apps = [
  {
    name: 'web',
    label: 'the web app',
    markers: [path.join(root, 'apps/web/dist/index.html')],
    sources: () =>
      Math.max(newest(path.join(root, 'apps/web/src')), mtime(path.join(root, 'apps/web/index.html')), contracts),
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
        newest(path.join(root, 'apps/widget/src')),
        mtime(path.join(root, 'apps/widget/vite.frame.config.ts')),
        mtime(path.join(root, 'apps/widget/vite.loader.config.ts')),
        contracts,
      ),
  },
  {
    name: 'server',
    label: 'the server',
    markers: [path.join(root, 'apps/server/dist/seva.mjs')],
    sources: () => Math.max(newest(path.join(root, 'apps/server/src')), contracts),
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
