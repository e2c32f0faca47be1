import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API (apps/api) listens on :8080 and serves the built SPA itself; in development Vite serves
// the SPA and forwards everything else to it, so cookies stay same-origin either way.
const api = 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  worker: { format: 'es' },
  server: {
    proxy: { '/api': api, '/healthz': api, '/readyz': api },
  },
});
