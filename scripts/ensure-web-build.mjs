// Builds the agent web app when its bundle is missing or older than its sources, so `npm start` always serves
// the current UI without a separate build step.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'apps/web');
const marker = path.join(web, 'dist/index.html');

function newest(dir) {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) max = Math.max(max, newest(p));
    else max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

const sources = Math.max(
  newest(path.join(web, 'src')),
  statSync(path.join(web, 'index.html')).mtimeMs,
  newest(path.join(root, 'packages/contracts/src')),
);
if (!existsSync(marker) || statSync(marker).mtimeMs < sources) {
  process.stdout.write('Building the web app…\n');
  execSync('npm run build -w apps/web', { cwd: root, stdio: 'inherit' });
}
