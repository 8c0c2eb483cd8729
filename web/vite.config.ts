/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The dashboard: built into web/dist, which the api serves (src/platform/http/static.ts). */
export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  // `npx vite --config web/vite.config.ts` next to `npm start` for hot reload against the real API.
  server: { proxy: { '/api': process.env.SUBSCOUT_API_URL ?? 'http://localhost:3000' } },
  test: { include: ['src/**/*.test.ts'] },
});
