import { defineConfig } from 'vite';

/**
 * The widget app inside its frame (/widget/frame). Stable entry names (the server writes them into the frame's HTML
 * with a content hash as the version); screens other than home are split into lazy chunks.
 */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist/frame',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2020',
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: 'src/frame/main.tsx',
      output: {
        entryFileNames: 'frame.js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: (info) => (info.names?.some((n) => n.endsWith('.css')) ? 'frame.css' : 'files/[name]-[hash][extname]'),
      },
    },
  },
});
