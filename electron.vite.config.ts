import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { cspMeta } from './renderer/cspMeta';

/** main, preload and renderer for the desktop app (needs the Electron binary to run). */
export default defineConfig({
  main: { build: { rollupOptions: { input: resolve('main/index.ts') } } },
  // Sandboxed preloads cannot be ES modules.
  preload: {
    build: {
      rollupOptions: {
        input: resolve('preload/index.ts'),
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [react(), cspMeta()],
    build: { rollupOptions: { input: resolve('renderer/index.html') } },
  },
});
