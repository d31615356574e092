/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { fileURLToPath } from 'node:url';

const server = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    proxy: {
      // No changeOrigin: the server compares a WebSocket's Origin with its Host.
      '/api': { target: server, ws: true },
      '/healthz': { target: server },
    },
  },
  // One small SPA: a single ~180 kB (gzip) bundle is fine; split routes if it grows.
  // No source maps in the shipped build: they would publish the whole source (dev keeps its own).
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 800 },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/testing/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}', 'tests/**/*.test.mjs'],
    restoreMocks: true,
  },
});
