// Issue 13: "TRASH_TTL … purged by a housekeeping job that is safe with several processes running
// it". The job runs once per HOUSEKEEPING_INTERVAL for the whole deployment, one process at a time.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sequelize } from 'sequelize';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { Housekeeping } from '../src/housekeeping/job.ts';
import { expectError, newUser } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { contentRow } from './support/transfer.ts';
import { makeFolder, uploadInto } from './support/trash.ts';

let server: TestServer;
const connections: Sequelize[] = [];

beforeAll(async () => {
  server = await startTestServer({ TRASH_TTL: '1s', HOUSEKEEPING_INTERVAL: '1h' });
});
afterAll(async () => {
  for (const connection of connections) await connection.close();
  await server.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const usedBytes = async (user: Awaited<ReturnType<typeof newUser>>) =>
  (await user.call('GET', '/api/me')).body.user.usedBytes as number;

/** The job is due now and nobody holds it. */
const makeDue = () =>
  server.services.sequelize.models.HousekeepingLease!.update(
    { holder: null, lockedUntil: new Date(0) },
    { where: { name: 'housekeeping' } },
  );

/** A housekeeping job as another process would run it: its own connections to the database. */
function anotherProcess(everyMs = 3_600_000, leaseMs?: number): Housekeeping {
  const connection = openDatabase(server.services.config);
  connections.push(connection);
  return new Housekeeping(connection, server.services.logger, everyMs, leaseMs);
}

describe('the trash step', () => {
  it('purges items deleted more than TRASH_TTL ago and keeps younger ones', async () => {
    const user = await newUser(server.baseUrl);
    const folder = await makeFolder(user, 'old');
    const old = (await uploadInto(user, folder.id, 'old.bin', randomBytes(3000))).body.file;
    const young = (await user.upload('young.bin', randomBytes(2000))).body.file;
    expect((await user.call('DELETE', `/api/folders/${folder.id}`)).status).toBe(204);
    await sleep(1200);
    expect((await user.call('DELETE', `/api/files/${young.id}`)).status).toBe(204);

    await makeDue();
    expect(await server.services.housekeeping.runOnce()).toBe(true);
    const left = (await user.call('GET', '/api/trash')).body.items.map((i: { id: string }) => i.id);
    expect(left).toEqual([young.id]);
    expect(await contentRow(server, old.sha1)).toBeUndefined();
    expect(Number((await contentRow(server, young.sha1))?.ref_count)).toBe(1);
    expect(await usedBytes(user)).toBe(2000);
    expectError(await user.call('POST', `/api/trash/${folder.id}/restore`), 404, 'not_found');
  });

  it('finishes a purge cut off by a crash once its lease lapsed', async () => {
    const user = await newUser(server.baseUrl);
    const file = (await user.upload('cut.bin', randomBytes(1000))).body.file;
    expect((await user.call('DELETE', `/api/files/${file.id}`)).status).toBe(204);
    // A purge took the item and died: it is no longer listed nor restorable, and not yet purged.
    await server.services.sequelize.models.TrashItem!.update(
      { purgingUntil: new Date(Date.now() - 1000) },
      { where: { id: file.id } },
    );
    expect((await user.call('GET', '/api/trash')).body.items).toEqual([]);
    expectError(await user.call('POST', `/api/trash/${file.id}/restore`), 404);
    expect(await usedBytes(user)).toBe(1000);

    await makeDue();
    expect(await server.services.housekeeping.runOnce()).toBe(true);
    expect(await contentRow(server, file.sha1)).toBeUndefined();
    expect(await usedBytes(user)).toBe(0);
  });
});

describe('the lease', () => {
  it('of 100 attempts from 4 processes at once, one runs the job; then it is not due until the interval passed', async () => {
    const processes = [1, 2, 3, 4].map(() => anotherProcess(5000));
    let runs = 0;
    for (const job of processes) {
      job.register('count', async () => {
        runs++;
        await sleep(300);
      });
    }
    await makeDue();
    const ran = await Promise.all(
      Array.from({ length: 100 }, (_, i) => processes[i % processes.length]!.runOnce()),
    );
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    expect(await Promise.all(processes.map((job) => job.runOnce()))).toEqual(Array(4).fill(false));
    await sleep(5000);
    const again = await Promise.all(processes.map((job) => job.runOnce()));
    expect(again.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(2);
  });

  it('a running job renews its lease; a holder that died is replaced once its lease lapses', async () => {
    const running = anotherProcess(3_600_000, 300);
    const waiting = anotherProcess(3_600_000, 300);
    running.register('slow', () => sleep(1200));
    await makeDue();
    const run = running.runOnce();
    await sleep(100);
    for (let i = 0; i < 10; i++) {
      expect(await waiting.runOnce()).toBe(false); // well past 300 ms: the lease was renewed
      await sleep(100);
    }
    expect(await run).toBe(true);

    // A holder that died mid-run: its lease runs out, then the job is anyone's.
    await server.services.sequelize.models.HousekeepingLease!.update(
      { holder: 'dead', lockedUntil: new Date(Date.now() + 400) },
      { where: { name: 'housekeeping' } },
    );
    expect(await waiting.runOnce()).toBe(false);
    await sleep(500);
    expect(await waiting.runOnce()).toBe(true);
  });

  it('a failing step is logged and the next steps still run', async () => {
    const job = anotherProcess();
    const ran: string[] = [];
    job.register('fails', async () => {
      ran.push('fails');
      throw new Error('injected');
    });
    job.register('runs', async () => {
      ran.push('runs');
    });
    await makeDue();
    expect(await job.runOnce()).toBe(true);
    expect(ran).toEqual(['fails', 'runs']);
  });
});

describe('configuration', () => {
  it.each([
    ['TRASH_TTL', 'soon'],
    ['TRASH_TTL', '0'],
    ['HOUSEKEEPING_INTERVAL', '10ms'],
  ])('%s=%s stops start-up with one line naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });

  it('defaults: 30 days in the trash, a run every 5 minutes', () => {
    const config = loadConfig({});
    expect(config.trashTtlMs).toBe(30 * 24 * 3600 * 1000);
    expect(config.housekeepingIntervalMs).toBe(5 * 60 * 1000);
  });
});
