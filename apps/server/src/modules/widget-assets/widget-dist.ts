import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { serverPath } from '../../platform/server-root.ts';

/** apps/widget/dist, built by Vite (`npm run build -w apps/widget`). */
export const DEFAULT_WIDGET_DIST = serverPath('..', 'widget', 'dist');

const ENTRY = 'src/frame/main.tsx';

export interface FrameEntry {
  /** the entry script, relative to the frame's asset directory (content-hashed) */
  script: string;
  styles: string[];
}

export interface WidgetDist {
  dir: string;
  loaderPath: string;
  frameDir: string;
  isBuilt(): boolean;
  /** the frame's entry files, from the Vite manifest (re-read when a new build lands) */
  frameEntry(): FrameEntry;
}

const SAFE_FILE = /^[A-Za-z0-9/_.-]+$/;

export function locateWidgetDist(dir: string = DEFAULT_WIDGET_DIST): WidgetDist {
  const loaderPath = path.join(dir, 'loader', 'widget.js');
  const frameDir = path.join(dir, 'frame');
  const manifestPath = path.join(frameDir, '.vite', 'manifest.json');
  let cached: { mtime: number; entry: FrameEntry } | null = null;
  return {
    dir,
    loaderPath,
    frameDir,
    isBuilt: () => existsSync(loaderPath) && existsSync(manifestPath),
    frameEntry: () => {
      const mtime = statSync(manifestPath).mtimeMs;
      if (cached && cached.mtime === mtime) return cached.entry;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<
        string,
        { file: string; css?: string[] }
      >;
      const main = manifest[ENTRY];
      if (!main || !SAFE_FILE.test(main.file)) throw new Error(`the widget build has no entry ${ENTRY}`);
      const entry = { script: main.file, styles: (main.css ?? []).filter((f) => SAFE_FILE.test(f)) };
      cached = { mtime, entry };
      return entry;
    },
  };
}
