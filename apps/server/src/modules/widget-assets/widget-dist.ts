import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/widget/dist, built by Vite (`npm run build -w apps/widget`). */
export const DEFAULT_WIDGET_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../widget/dist');

export interface WidgetDist {
  dir: string;
  loaderPath: string;
  frameDir: string;
  isBuilt(): boolean;
  /** a short content hash of the frame's entry files, for cache-busting query strings */
  frameVersion(): string;
}

export function locateWidgetDist(dir: string = DEFAULT_WIDGET_DIST): WidgetDist {
  const loaderPath = path.join(dir, 'loader', 'widget.js');
  const frameDir = path.join(dir, 'frame');
  let cached: { mtime: number; version: string } | null = null;
  return {
    dir,
    loaderPath,
    frameDir,
    isBuilt: () => existsSync(loaderPath) && existsSync(path.join(frameDir, 'frame.js')),
    frameVersion: () => {
      const js = path.join(frameDir, 'frame.js');
      const css = path.join(frameDir, 'frame.css');
      const mtime = Math.max(statSync(js).mtimeMs, existsSync(css) ? statSync(css).mtimeMs : 0);
      if (cached && cached.mtime === mtime) return cached.version;
      const hash = createHash('sha256').update(readFileSync(js));
      if (existsSync(css)) hash.update(readFileSync(css));
      cached = { mtime, version: hash.digest('hex').slice(0, 12) };
      return cached.version;
    },
  };
}
