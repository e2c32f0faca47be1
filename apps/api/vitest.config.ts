import { defineConfig } from 'vitest/config';

// Integration tests run over HTTP against a real server; TEST_DATABASE picks SQLite, MariaDB or the
// replication pair. Tests that touch no database (object stores, deployment files) run in the
// SQLite pass only; tests of several MariaDB databases (FILE_DB_URLS) in the MariaDB pass only.
// TEST_DATABASE=replication runs test/replication/ on a private primary + replica pair that its
// global setup starts and stops (scripts/mariadb-pair.sh).
const databaseFree = ['test/storage/**', 'test/deploy.test.ts', 'test/audit-script.test.ts'];
const mariadbOnly = ['test/file-databases.test.ts'];
const kind = process.env.TEST_DATABASE ?? 'sqlite';
const excluded: Record<string, string[]> = {
  sqlite: ['test/replication/**', ...mariadbOnly],
  mariadb: ['test/replication/**', ...databaseFree],
  replication: [],
};

export default defineConfig({
  test: {
    include: kind === 'replication' ? ['test/replication/**/*.test.ts'] : ['test/**/*.test.ts'],
    exclude: excluded[kind],
    globalSetup: kind === 'replication' ? ['test/replication/pair.ts'] : [],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // MariaDB runs a fresh database per test file; two at a time keeps a 2-core machine responsive.
    maxWorkers: 2,
  },
});
