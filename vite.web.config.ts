import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Browser mode: the same renderer as under Electron, built to out/renderer and served by
// src/main/server over loopback.
export default defineConfig({
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  build: { outDir: resolve(import.meta.dirname, 'out/renderer'), emptyOutDir: true },
});
