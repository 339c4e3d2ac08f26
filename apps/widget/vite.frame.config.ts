import { defineConfig } from 'vite';

/**
 * The widget app inside its frame (/widget/frame). Every file is content-hashed; the server finds the entry and its
 * stylesheet in the Vite manifest. Screens other than home are split into lazy chunks that share the entry module.
 */
export default defineConfig({
  // where the server serves the built files (lazy chunks and their preloads resolve against it)
  base: '/widget/assets/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist/frame',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2020',
    modulePreload: { polyfill: false },
    manifest: true,
    rolldownOptions: {
      input: 'src/frame/main.tsx',
      output: {
        entryFileNames: 'frame-[hash].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: 'files/[name]-[hash][extname]',
      },
    },
  },
});
