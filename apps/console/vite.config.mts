import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
/** The API the dev server forwards to (`npm run dev:console` next to `npm start`). */
const apiTarget = process.env['CONSOLE_API_URL'] ?? 'http://localhost:3000';

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    alias: {
      '@dynaprice/api-client': here('../../libs/api-client/src/index.ts'),
      '@dynaprice/catalog': here('../../libs/catalog/src/index.ts'),
    },
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/v1', '/docs-json', '/health'].map((path) => [path, { target: apiTarget, changeOrigin: true }])),
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
});
