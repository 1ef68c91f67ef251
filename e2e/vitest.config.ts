import { defineConfig } from 'vitest/config';

// Browser and API tests against the real production server (scripts/e2e.mjs builds it first).
export default defineConfig({
  resolve: { alias: { '@': new URL('..', import.meta.url).pathname.replace(/\/$/, '') } },
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['./e2e/global-setup.ts'],
    setupFiles: ['./test/setup.ts'],
    // One server and one browser per file; files run one after another on a 2-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
