// Vite builds the web app (web/) into dist/web, which the platform serves at `/` (rest-api/web-app/).
// Everything is bundled: no CDN, no fonts from elsewhere. `npm run dev:web` proxies /api to a running platform.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // bpmn-js and form-js are large; they load only on the pages that draw diagrams and forms.
    chunkSizeWarningLimit: 1500,
    assetsDir: 'assets',
    sourcemap: false,
  },
  server: {
    proxy: { '/api': process.env.SPE_API_URL ?? 'http://127.0.0.1:3000' },
  },
});
