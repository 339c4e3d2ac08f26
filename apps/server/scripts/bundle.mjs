// Precompiles the server: apps/server/src/main.ts (with @seva/contracts) into one ESM file,
// apps/server/dist/seva.mjs, leaving npm packages as imports. `bin/seva.js` runs it when it is newer than every
// source file, which starts in a fraction of the time tsx needs to resolve and load hundreds of TypeScript modules;
// otherwise (no build, or a source changed since) it runs the sources through tsx as before.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(serverDir, 'package.json'), 'utf8'));
// every npm dependency stays external (loaded from node_modules); the workspace's own TypeScript is bundled
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((name) => !name.startsWith('@seva/'))
  .flatMap((name) => [name, `${name}/*`]);

const outfile = path.join(serverDir, 'dist', 'seva.mjs');
const result = await build({
  entryPoints: [path.join(serverDir, 'src/main.ts')],
  outfile,
  write: false,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: true,
  logLevel: 'warning',
  // a few CommonJS-era packages are imported by default; esbuild's ESM output needs `require` for them
  banner: {
    js: "import { createRequire as __sevaCreateRequire } from 'node:module';\nconst require = __sevaCreateRequire(import.meta.url);",
  },
});

// written beside and renamed into place, so a `seva` starting meanwhile never loads a half-written bundle
mkdirSync(path.dirname(outfile), { recursive: true });
const tag = `.${process.pid}.tmp`;
for (const file of result.outputFiles) writeFileSync(file.path + tag, file.contents);
// the map first: the bundle's arrival is what makes it current
const ordered = [
  ...result.outputFiles.filter((f) => f.path !== outfile),
  ...result.outputFiles.filter((f) => f.path === outfile),
];
for (const file of ordered) renameSync(file.path + tag, file.path);
