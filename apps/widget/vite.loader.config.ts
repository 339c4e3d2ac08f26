import { defineConfig } from 'vite';

/** The loader every site embeds (/widget.js): one small self-contained script, no framework. */
export default defineConfig({
  build: {
    outDir: 'dist/loader',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2018',
    lib: { entry: 'src/loader/loader.ts', formats: ['iife'], name: 'SevaWidgetLoader', fileName: () => 'widget.js' },
  },
});
