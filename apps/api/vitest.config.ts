import { defineConfig } from 'vitest/config';

// Integration tests run over HTTP against a real server; TEST_DATABASE picks SQLite or MariaDB.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // MariaDB runs a fresh database per test file; two at a time keeps a 2-core machine responsive.
    maxWorkers: 2,
  },
});
