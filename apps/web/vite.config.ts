import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.RBM_API_URL ?? 'http://127.0.0.1:3000';
// Every API route prefix: in development Vite serves the app and hands these to the API.
const apiPrefixes = [
  '/auth',
  '/me',
  '/admin',
  '/org-units',
  '/projects',
  '/programmes',
  '/donors',
  '/funding-agreements',
  '/standard-indicators',
  '/sdg',
  '/reviews',
  '/reports',
  '/imports',
  '/progress',
  '/health',
  '/docs',
];

/** The RBM Tracker web app: built to dist/web and served by the API under /app/. */
export default defineConfig({
  root,
  base: '/app/',
  oxc: { jsx: { runtime: 'automatic' } },
  // The shared calculation library, imported from its sources (never rewritten in the web app).
  resolve: { alias: { '@calculations': fileURLToPath(new URL('../../libs/calculations/src', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // Mantine marks its modules "use client" (for React Server Components); meaningless in this SPA.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(apiPrefixes.map((p) => [p, { target: api, changeOrigin: false }])),
  },
});
