#!/usr/bin/env node
// Runs every suite (static checks, API integration on SQLite, on MariaDB and on a MariaDB primary +
// replica pair, transfers on a 3-node RabbitMQ cluster, the scaled-out deployment behind nginx,
// web unit tests, Playwright e2e) and ends with one line: "N passed, N failed, N skipped".
// `npm test -- api-sqlite e2e` runs only the named suites.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, '.test-results');

const vitest = (project, name, env = {}) => ({
  name,
  env,
  command: [
    'npx',
    'vitest',
    'run',
    '--root',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${path.join(results, `${name}.json`)}`,
  ],
  count: (report) => ({
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + report.numTodoTests,
  }),
});

const suites = [
  {
    name: 'lint',
    command: ['npm', 'run', 'lint'],
    // ESLint, Prettier and tsc count as one check: it passes or it does not.
    count: null,
  },
  vitest('apps/api', 'api-sqlite', { TEST_DATABASE: 'sqlite' }),
  vitest('apps/api', 'api-mariadb', { TEST_DATABASE: 'mariadb' }),
  // Starts and stops its own MariaDB primary + replica on 3407/3408 (scripts/mariadb-pair.sh).
  vitest('apps/api', 'api-replication', { TEST_DATABASE: 'replication' }),
  // Starts and stops its own 3-node RabbitMQ cluster on 5701-5703 (scripts/rabbitmq-cluster.sh).
  vitest('apps/api', 'rabbitmq-cluster', { TEST_DATABASE: 'rabbitmq-cluster' }),
  // nginx + 2 × account,files, 2 × upload, 2 × download, web and 2 transfer workers as processes on
  // 19200-19299, a fresh MariaDB database, the local RabbitMQ and s3rver (test/cluster/).
  vitest('apps/api', 'cluster', { TEST_DATABASE: 'cluster' }),
  vitest('apps/web', 'web'),
  {
    name: 'e2e',
    before: ['npm', 'run', 'build'],
    command: ['npx', 'playwright', 'test', '-c', 'e2e/playwright.config.ts'],
    count: (report) => ({
      passed: report.stats.expected + report.stats.flaky,
      failed: report.stats.unexpected,
      skipped: report.stats.skipped,
    }),
  },
];

const wanted = process.argv.slice(2);
const selected = wanted.length ? suites.filter((suite) => wanted.includes(suite.name)) : suites;
if (selected.length === 0) {
  console.error(`unknown suite; choose from: ${suites.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

mkdirSync(results, { recursive: true });
const run = (argv, env) =>
  spawnSync(argv[0], argv.slice(1), {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  }).status;

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
for (const suite of selected) {
  console.log(`\n=== ${suite.name} ===`);
  const report = path.join(results, `${suite.name}.json`);
  rmSync(report, { force: true });
  const prepared = suite.before ? run(suite.before, suite.env) === 0 : true;
  const status = prepared ? run(suite.command, suite.env) : 1;
  let counts;
  if (!suite.count) {
    counts =
      status === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  } else if (existsSync(report)) {
    counts = suite.count(JSON.parse(readFileSync(report, 'utf8')));
    // A runner that crashed after writing its report still fails the suite.
    if (status !== 0 && counts.failed === 0) counts.failed = 1;
  } else {
    counts = { passed: 0, failed: 1, skipped: 0 }; // the runner never got to report
  }
  for (const key of Object.keys(totals)) totals[key] += counts[key];
  // Not in the "N passed, N failed" form: only the closing line below is the summary.
  lines.push(
    `  ${suite.name.padEnd(16)} ${counts.passed} ok / ${counts.failed} failing / ${counts.skipped} skipped`,
  );
}

console.log(`\n${lines.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
