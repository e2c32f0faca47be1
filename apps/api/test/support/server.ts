// Starts the real API on an ephemeral port with its own DATA_DIR and database.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { start } from '../../src/start.ts';
import type { ServiceOverrides, Services } from '../../src/services.ts';
import { createTestDatabase } from './database.ts';

export interface TestServer {
  baseUrl: string;
  /** The environment the server was configured from (for a worker process to share it). */
  env: Record<string, string>;
  services: Services;
  dataDir: string;
  /** Files left in the staging area (must be none after any finished request). */
  stagedFiles: () => Promise<string[]>;
  /**
   * What the staging area holds of one upload: while it is open, the chunks its staging file holds
   * bytes of (whole or in part); once it is completed or gone, its staging file if still there.
   */
  chunkFiles: (uploadId: string) => Promise<string[]>;
  blobCount: () => Promise<number>;
  query: <T = Record<string, unknown>>(sql: string, replacements?: unknown[]) => Promise<T[]>;
  /** Stops the server and starts it again on the same data (a new port: read baseUrl again). */
  restart: (overrides?: ServiceOverrides) => Promise<void>;
  stop: () => Promise<void>;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

export async function startTestServer(
  env: Record<string, string> = {},
  overrides: ServiceOverrides = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'filestore-it-'));
  const database = await createTestDatabase();
  const fullEnv = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    // Test files sign up many users from 127.0.0.1; registration.test.ts sets the real limit.
    REGISTRATIONS_PER_HOUR: '100000',
    // Each test server is a deployment of its own: it migrates its fresh database as it starts.
    MIGRATE: 'auto',
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...env,
  };
  const config = loadConfig({ PORT: '0', ...fullEnv });
  let running = await start(config, overrides);
  const urlOf = () => `http://127.0.0.1:${(running.server!.address() as AddressInfo).port}`;
  const server: TestServer = {
    baseUrl: urlOf(),
    env: fullEnv,
    services: running.services,
    dataDir,
    stagedFiles: () => listFiles(path.join(dataDir, 'tmp')),
    chunkFiles: async (uploadId) => {
      const [upload] = await server.query<{ state: string }>(
        'SELECT state FROM uploads WHERE id = ?',
        [uploadId],
      );
      if (upload && upload.state !== 'completed') {
        const held = await server.query<{ chunk_index: number }>(
          'SELECT chunk_index FROM upload_chunks WHERE upload_id = ? AND received > 0',
          [uploadId],
        );
        return held.map((row) => String(row.chunk_index));
      }
      const staged = await listFiles(running.services.config.stagingDir);
      return staged.filter((name) => name === uploadId);
    },
    blobCount: async () => (await listFiles(path.join(dataDir, 'blobs'))).length,
    query: async <T>(sql: string, replacements: unknown[] = []) =>
      (await running.services.sequelize.query(sql, { replacements }))[0] as T[],
    restart: async (again = overrides) => {
      await running.stop();
      running = await start(config, again);
      server.baseUrl = urlOf();
      server.services = running.services;
    },
    stop: async () => {
      await running.stop();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
