import { defineConfig } from 'vite';

// Built with `vite build console` (the root is this folder). JSX goes through
// Vite's esbuild with Preact's automatic runtime (tsconfig jsxImportSource):
// no framework plugin is needed.
export default defineConfig({
  base: '/console/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  logLevel: 'warn',
});
