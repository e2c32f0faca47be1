// The cluster suite's global setup (vitest globalSetup, TEST_DATABASE=cluster): a fresh MariaDB
// database on the shared server and a DATA_DIR whose staging directory every replica shares,
// migrated once with the migrate command as a deployment does; both removed after the suite.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { runMigrate } from '../support/process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    clusterDatabaseUrl: string;
    clusterDataDir: string;
  }
}

let database: TestDatabase | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  database = await createTestDatabase('mariadb');
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'filestore-cluster-'));
  const migrated = await runMigrate({ DATABASE_URL: database.url!, DATA_DIR: dataDir });
  if (migrated.code !== 0) throw new Error(`npm run migrate failed: ${migrated.stderr}`);
  project.provide('clusterDatabaseUrl', database.url!);
  project.provide('clusterDataDir', dataDir);
}

export async function teardown(): Promise<void> {
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
