/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { precompress } from './build/precompress.ts';
import { preloadListener } from './build/preload-listener.ts';
import { pwa } from './build/pwa.ts';
import { buildInfo } from './build/build-info.ts';
import { featureChunkName, listenerChunkGroup } from './build/chunks.ts';

// The API server the dev server forwards to (the server's default port).
const API_TARGET = process.env.RSTREAM_API_URL ?? 'http://127.0.0.1:3000';

// Production builds run on Preact's React compatibility layer: the listener's phone downloads
// ~10 KB of runtime instead of ~55 KB (React 19 + react-dom), with the same components.
// `RSTREAM_REACT=1` builds with React itself (to compare, or to bisect a rendering difference).
const usePreact = process.env.RSTREAM_REACT !== '1';

export default defineConfig(({ command }) => ({
  // The app's version and commit, shown in the listener's settings (`import.meta.env.RSTREAM_*`).
  define: buildInfo(),
  plugins: [react(), tailwindcss(), preloadListener(), pwa(), precompress()],
  resolve: {
    alias:
      usePreact && command === 'build'
        ? [
            { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
            { find: /^react-dom$/, replacement: 'preact/compat' },
            { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
            { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-runtime' },
            { find: /^react$/, replacement: 'preact/compat' },
          ]
        : [],
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: API_TARGET, changeOrigin: false },
      '/metrics': { target: API_TARGET },
      '/ws': { target: API_TARGET, ws: true },
    },
  },
  preview: { port: 4173 },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      // The join and listener pages' own modules in one chunk (build/chunks.ts).
      output: {
        codeSplitting: { groups: [{ ...listenerChunkGroup(), includeDependenciesRecursively: false }] },
        // A chunk of a feature's strings (shared by that feature's pages) is named after the feature,
        // `auth-strings-…`, not one of several `strings-…` (build/chunks.ts).
        chunkFileNames: featureChunkName,
      },
      // The protocol package builds its zod schemas at module top level; the web app only needs
      // its constants and types on the listener path, so unused schema constructions may go.
      // Named by member (`z.object`…), never a bare `z`: rolldown matches bare names in every
      // module, and Preact's minified style setter is also called `z` — marking it pure dropped
      // every inline style of the app (level colours, legend swatches, the average's dot).
      treeshake: {
        manualPureFunctions: [
          'z.object',
          'z.string',
          'z.number',
          'z.enum',
          'z.boolean',
          'z.array',
          'z.literal',
          'z.coerce',
          'z.unknown',
          'z.union',
          'z.discriminatedUnion',
          'z.tuple',
          'z.record',
        ],
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
}));
