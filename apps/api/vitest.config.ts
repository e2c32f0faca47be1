import { defineConfig } from 'vitest/config';

// Integration tests run over HTTP against a real server; TEST_DATABASE picks SQLite or MariaDB.
// Tests that touch no database (object stores, deployment files) run in the SQLite pass only.
const databaseFree = ['test/storage/**', 'test/deploy.test.ts'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: process.env.TEST_DATABASE === 'mariadb' ? databaseFree : [],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // MariaDB runs a fresh database per test file; two at a time keeps a 2-core machine responsive.
    maxWorkers: 2,
  },
});
