// Builds the browser bundle into ui/dist, which the control plane serves (ENCLAVE_UI_DIR).
// @enclave/contracts is bundled from its TypeScript source (its package exports src/index.ts);
// JSX goes through Vite's own Oxc transform, so no React plugin is needed for a production build.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Nothing inlined as data: URIs, so the CSP can keep img-src 'self'.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
});
