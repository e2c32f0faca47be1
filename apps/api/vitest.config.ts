import { defineConfig } from 'vitest/config';

// Integration tests run over HTTP against a real server; TEST_DATABASE picks SQLite, MariaDB or the
// replication pair. Tests that touch no database (object stores, deployment files) run in the
// SQLite pass only; tests of several MariaDB databases (FILE_DB_URLS) in the MariaDB pass only.
// TEST_DATABASE=replication runs test/replication/ on a private primary + replica pair that its
// global setup starts and stops (scripts/mariadb-pair.sh). TEST_DATABASE=rabbitmq-cluster runs
// test/rabbitmq-cluster/ (on SQLite) against a private 3-node RabbitMQ cluster that its global setup
// starts and stops (scripts/rabbitmq-cluster.sh). TEST_DATABASE=cluster runs test/cluster/: the
// scaled-out deployment behind nginx, on a MariaDB database its global setup creates, migrates
// and drops.
const databaseFree = ['test/storage/**', 'test/deploy.test.ts', 'test/audit-script.test.ts'];
const mariadbOnly = ['test/file-databases.test.ts'];
const kind = process.env.TEST_DATABASE ?? 'sqlite';
const ownSuites = ['test/replication/**', 'test/rabbitmq-cluster/**', 'test/cluster/**'];
const excluded: Record<string, string[]> = {
  sqlite: [...ownSuites, ...mariadbOnly],
  mariadb: [...ownSuites, ...databaseFree],
  replication: [],
  'rabbitmq-cluster': [],
  cluster: [],
};
const included: Record<string, string[]> = {
  replication: ['test/replication/**/*.test.ts'],
  'rabbitmq-cluster': ['test/rabbitmq-cluster/**/*.test.ts'],
  cluster: ['test/cluster/**/*.test.ts'],
};
const globalSetup: Record<string, string[]> = {
  replication: ['test/replication/pair.ts'],
  'rabbitmq-cluster': ['test/rabbitmq-cluster/cluster.ts'],
  cluster: ['test/cluster/deployment.ts'],
};

export default defineConfig({
  test: {
    include: included[kind] ?? ['test/**/*.test.ts'],
    exclude: excluded[kind],
    globalSetup: globalSetup[kind] ?? [],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // MariaDB runs a fresh database per test file; two at a time keeps a 2-core machine responsive.
    maxWorkers: 2,
  },
});
