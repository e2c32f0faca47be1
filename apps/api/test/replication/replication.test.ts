// Read/write split, read-your-writes and failover on a real MariaDB primary + replica pair
// (scripts/mariadb-pair.sh, started by ./pair.ts). The API connects as a non-root user.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withReplicaReads } from '../../src/db/replicas.ts';
import { Client, expectError, newUser } from '../support/client.ts';
import { deleteForever } from '../support/trash.ts';
import { spawnApi } from '../support/process.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import {
  appUrl,
  asRoot,
  logStatements,
  replicaCaughtUp,
  startPair,
  statementsWith,
  stopServer,
} from './pair.ts';

const pairEnv = {
  DATABASE_URL: appUrl('primary'),
  DATABASE_REPLICA_URLS: appUrl('replica'),
};
const marker = () => `probe${randomBytes(6).toString('hex')}`;
const names = (answer: { body: { items: { name: string }[] } }) =>
  answer.body.items.map((item) => item.name);

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(pairEnv);
});
afterAll(() => server.stop());

describe('read/write split', () => {
  it('reads reach the replica and writes the primary', async () => {
    await logStatements('primary');
    await logStatements('replica');
    const alice = await newUser(server.baseUrl);
    const name = marker();
    expect((await alice.upload(`${name}.txt`, 'split')).status).toBe(201);
    const listed = await alice.call('GET', `/api/files?q=${name}`);
    expect(names(listed)).toEqual([`${name}.txt`]);

    // The listing ran on the replica only; the insert on the primary only (the replica applies
    // row events, which its general log does not show as statements).
    const listing = (sql: string) => sql.includes('LIKE') && sql.includes('user_files');
    expect((await statementsWith('replica', name)).filter(listing)).toHaveLength(1);
    expect((await statementsWith('primary', name)).filter(listing)).toHaveLength(0);
    const insert = (sql: string) => /^INSERT INTO `user_files`/.test(sql);
    expect((await statementsWith('primary', name)).filter(insert)).toHaveLength(1);
    expect((await statementsWith('replica', name)).filter(insert)).toHaveLength(0);
  });

  it('a write on a read connection is impossible', async () => {
    const write = withReplicaReads(() =>
      server.services.sequelize.query(
        "INSERT INTO throttles (`key`, failures, reset_at) VALUES ('stray', 1, NOW())",
        { type: QueryTypes.SELECT },
      ),
    );
    await expect(write).rejects.toThrow(/read-only/);
    await replicaCaughtUp();
    const [status] = await asRoot<{ Slave_SQL_Running: string }>('replica', 'SHOW SLAVE STATUS');
    expect(status?.Slave_SQL_Running).toBe('Yes');
  });
});

describe('read-your-writes while the replica lags', () => {
  let dataDir: string;
  const apis: Awaited<ReturnType<typeof spawnApi>>[] = [];

  beforeAll(async () => {
    // Two API processes behind an imagined load balancer: they share nothing but the databases
    // and the staging volume.
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'filestore-ryw-'));
    for (let i = 0; i < 2; i++) apis.push(await spawnApi({ ...pairEnv, DATA_DIR: dataDir }));
  });
  afterAll(async () => {
    await asRoot('replica', 'START SLAVE SQL_THREAD');
    for (const api of apis) await api.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('upload, rename and login are seen at once through another process; other reads go on', async () => {
    const [a, b] = apis as [(typeof apis)[0], (typeof apis)[0]];
    const bob = await newUser(a.baseUrl);
    expect((await bob.upload('before.txt', 'old')).status).toBe(201);
    await replicaCaughtUp();
    await asRoot('replica', 'STOP SLAVE SQL_THREAD');

    // Login, then me — on the other process.
    const carol = await newUser(a.baseUrl);
    const carolOnB = new Client(b.baseUrl, carol.token);
    expect((await carolOnB.call('GET', '/api/me')).body.user.username).toBe(carol.username);

    // Upload, then list; rename, then list.
    const uploaded = await carol.upload('fresh.txt', 'new bytes');
    expect(uploaded.status).toBe(201);
    expect(names(await carolOnB.call('GET', '/api/files'))).toEqual(['fresh.txt']);
    const id = uploaded.body.file.id;
    expect((await carol.call('PATCH', `/api/files/${id}`, { name: 'renamed.txt' })).status).toBe(
      200,
    );
    expect(names(await carolOnB.call('GET', '/api/files'))).toEqual(['renamed.txt']);
    const content = await carolOnB.raw('GET', `/api/files/${id}/content`);
    expect(await content.text()).toBe('new bytes');

    // The replica really is behind: it has not seen Carol's file.
    const onReplica = await asRoot('replica', 'SELECT id FROM user_files WHERE id = ?', [id]);
    expect(onReplica).toHaveLength(0);

    // Other reads still work.
    const bobOnB = new Client(b.baseUrl, bob.token);
    expect(names(await bobOnB.call('GET', '/api/files'))).toEqual(['before.txt']);

    await asRoot('replica', 'START SLAVE SQL_THREAD');
    await replicaCaughtUp();
    expect(await asRoot('replica', 'SELECT id FROM user_files WHERE id = ?', [id])).toHaveLength(1);
  });
});

describe('failover', () => {
  it('with the replica stopped everything works; it is used again once back', async () => {
    const alice = await newUser(server.baseUrl);
    await stopServer('replica');
    try {
      const uploaded = await alice.upload('while-replica-down.txt', 'abc');
      expect(uploaded.status).toBe(201);
      const id = uploaded.body.file.id;
      expect(names(await alice.call('GET', '/api/files'))).toEqual(['while-replica-down.txt']);
      expect((await alice.call('GET', `/api/files/${id}`)).status).toBe(200);
      expect(await (await alice.raw('GET', `/api/files/${id}/content`)).text()).toBe('abc');
      expect((await alice.call('PATCH', `/api/files/${id}`, { name: 'b.txt' })).status).toBe(200);
      expect((await alice.call('GET', '/api/me')).body.user.usedBytes).toBe(3);
      expect((await deleteForever(alice, id)).status).toBe(204);
      expect((await new Client(server.baseUrl).call('GET', '/readyz')).status).toBe(200);
    } finally {
      startPair();
    }
    await replicaCaughtUp();
    await logStatements('replica');
    // Retried after a short pause, without restarting the API.
    const name = marker();
    await expect
      .poll(
        async () => {
          await alice.call('GET', `/api/files?q=${name}`);
          return (await statementsWith('replica', name)).length;
        },
        { timeout: 10_000, interval: 500 },
      )
      .toBeGreaterThan(0);
  });

  it('with the primary stopped reads work and writes answer 503; it recovers on its own', async () => {
    const alice = await newUser(server.baseUrl);
    const uploaded = await alice.upload('kept.txt', 'stored bytes');
    const id = uploaded.body.file.id;
    // A session due for its sliding refresh (a write) must still authenticate reads.
    const { id: userId } = (await alice.call('GET', '/api/me')).body.user;
    await asRoot(
      'primary',
      'UPDATE sessions SET last_seen_at = NOW(3) - INTERVAL 10 MINUTE WHERE user_id = ?',
      [userId],
    );
    await replicaCaughtUp();
    await stopServer('primary');
    try {
      expect(names(await alice.call('GET', '/api/files'))).toEqual(['kept.txt']);
      expect((await alice.call('GET', `/api/files/${id}`)).body.file.name).toBe('kept.txt');
      const content = await alice.raw('GET', `/api/files/${id}/content`);
      expect(await content.text()).toBe('stored bytes');
      expect((await alice.call('GET', '/api/me')).status).toBe(200);
      expect((await new Client(server.baseUrl).call('GET', '/readyz')).status).toBe(200);

      const startedAt = Date.now();
      const refused = await alice.upload('new.txt', 'not now');
      expectError(refused, 503, 'database_unavailable');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expectError(
        await alice.call('PATCH', `/api/files/${id}`, { name: 'x.txt' }),
        503,
        'database_unavailable',
      );
      expect(Date.now() - startedAt).toBeLessThan(5000);
    } finally {
      startPair();
    }
    // The same API process, not restarted: writes work again after Retry-After.
    await expect
      .poll(async () => (await alice.upload('after.txt', 'back')).status, {
        timeout: 15_000,
        interval: 500,
      })
      .toBe(201);
    expect(names(await alice.call('GET', '/api/files'))).toContain('after.txt');
  });
});
