import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { cspMeta } from '../../renderer/cspMeta';

/** The cloud console: a web page served by the cloud control server itself. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: fileURLToPath(new URL('../../out/console', import.meta.url)),
    emptyOutDir: true,
  },
});
