// Issue 12, "A cluster test in CI": the scaled-out deployment (topology.ts) driven only through
// the gateway's port — the drive's acceptance flow with chunks spread over both upload replicas,
// then one replica or worker lost at a time (SIGKILL of an upload replica mid-upload, SIGKILL of
// a transfer worker mid-copy, SIGTERM of a download replica mid-download) with nothing lost.
import { once } from 'node:events';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { objectKeyFor } from '../../src/storage/object-store.ts';
import { newUser, type Client } from '../support/client.ts';
import type { WorkerProcess } from '../support/process.ts';
import { queueState, s3StoreOf } from '../support/transfer.ts';
import { Content } from './content.ts';
import { filesWrittenUnder, socketsOf } from './proc.ts';
import { logLines, startCluster, type Cluster, type Replica } from './topology.ts';
import { downloadHashed, instantUpload, startDownload, uploadInChunks } from './transfers.ts';

const MiB = 1024 * 1024;
const CHUNK = 4 * MiB;

let cluster: Cluster;
let database: mysql.Pool;
// The store is made slow while a worker is to be killed mid-copy; the ports its parts come from.
let slowParts = false;
const partSenders = new Set<number>();

beforeAll(async () => {
  database = mysql.createPool(inject('clusterDatabaseUrl'));
  cluster = await startCluster({
    databaseUrl: inject('clusterDatabaseUrl'),
    dataDir: inject('clusterDataDir'),
    chunkSize: CHUNK,
    onStoreRequest: async (ctx) => {
      if (!slowParts || ctx.method !== 'PUT' || !ctx.url.includes('partNumber=')) return;
      partSenders.add(ctx.req.socket.remotePort!);
      await sleep(500);
    },
  });
}, 300_000);
afterAll(async () => {
  await cluster?.stop();
  await database?.end();
});

const sha1Of = async (content: Content) => (await content.digest('sha1')).toString('hex');
const auth = (user: Client) => ({ authorization: `Bearer ${user.token}` });
const contentUrl = (fileId: string) => `${cluster.url}/api/files/${fileId}/content`;

/** The content row's state (staged, stored, …), straight from the database. */
async function stateOf(sha1: string): Promise<string | undefined> {
  const [rows] = await database.query(`SELECT state FROM file_${sha1.slice(-2)} WHERE sha1 = ?`, [
    sha1,
  ]);
  return (rows as { state: string }[])[0]?.state;
}
const waitStored = (sha1: string, timeout = 60_000) =>
  expect.poll(() => stateOf(sha1), { timeout, interval: 100 }).toBe('stored');
const storedSize = async (sha1: string) =>
  (await s3StoreOf(cluster.s3).head(objectKeyFor(sha1)))?.size;

/** Chunk PUTs of `uploadId` a replica answered 204 (its request log; request ids name the upload). */
const chunksServed = (replica: Replica, uploadId: string) =>
  logLines(replica).filter(
    (line) =>
      String(line.reqId).startsWith(`${uploadId}.`) &&
      line.route === '/api/uploads/:id/chunks/:index' &&
      line.status === 204,
  ).length;

/** The gateway's access-log lines of the chunk PUTs of `uploadId`: status, upstreams tried, id. */
function chunkPutsAtGateway(uploadId: string) {
  const line =
    /"PUT \/api\/uploads\/([^/]+)\/chunks\/(\d+) [^"]*" (\d+) .* upstream=(.*) request_id=(\S+)/;
  return cluster.gateway
    .accessLog()
    .split('\n')
    .flatMap((text) => {
      const [, id, index, status, upstreams, requestId] = line.exec(text) ?? [];
      if (id !== uploadId) return [];
      return [
        {
          index: Number(index),
          status: Number(status),
          upstreams: upstreams!.split(', '),
          requestId: requestId!,
        },
      ];
    });
}

// The 200 MB file of the upload-replica test, read again by the download-replica test.
const big = new Content('cluster-big', 200 * MiB);
let bigOwner: Client;
let bigFileId: string;

describe('the cluster through the gateway', () => {
  it('the acceptance flow: register, chunked upload over both upload replicas, transfer to s3, instant upload, Range, share link, delete', async () => {
    const page = await fetch(`${cluster.url}/files/some/route`, {
      headers: { 'x-request-id': 'cluster-web-route' },
    });
    await page.arrayBuffer();
    await expect
      .poll(() => logLines(cluster.replicas.web[0]!).map((line) => line.reqId))
      .toContain('cluster-web-route');

    const alice = await newUser(cluster.url);
    expect((await alice.call('GET', '/api/me')).body.user.username).toBe(alice.username);
    const content = new Content('cluster-acceptance', 5 * CHUNK + 12_345);
    const sha1 = await sha1Of(content);
    const { uploadId, completed } = await uploadInChunks(alice, 'report.bin', content);
    expect(completed.status).toBe(201);
    expect(completed.body.file).toMatchObject({ sha1, size: content.size });
    const fileId = completed.body.file.id as string;
    // No sticky sessions: both upload replicas wrote chunks of this one upload.
    const served = cluster.replicas.upload.map(() => 0);
    await expect
      .poll(() => {
        cluster.replicas.upload.forEach(
          (replica, i) => (served[i] = chunksServed(replica, uploadId)),
        );
        return served.reduce((a, b) => a + b);
      })
      .toBe(6);
    expect(
      served.every((count) => count > 0),
      `chunks per replica: ${served}`,
    ).toBe(true);

    await waitStored(sha1);
    expect(await storedSize(sha1)).toBe(content.size);

    const bob = await newUser(cluster.url);
    const instant = await instantUpload(bob, 'copy.bin', content);
    expect(instant.status).toBe(201);
    expect(instant.body.file.sha1).toBe(sha1);
    const copyId = instant.body.file.id as string;

    const range = await bob.raw('GET', `/api/files/${copyId}/content`, {
      headers: { range: 'bytes=1000000-1999999' },
    });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 1000000-1999999/${content.size}`);
    expect(Buffer.from(await range.arrayBuffer()).equals(content.bytes(1_000_000, 2_000_000))).toBe(
      true,
    );

    const shared = await alice.call('POST', '/api/shares', { fileId });
    expect(shared.status).toBe(201);
    const viaLink = await downloadHashed(
      `${cluster.url}/api/public/shares/${shared.body.share.token}/content`,
    );
    expect(viaLink).toEqual({ status: 200, sha1, bytes: content.size });

    expect((await alice.call('DELETE', `/api/files/${fileId}`)).status).toBe(204);
    expect((await downloadHashed(contentUrl(fileId), auth(alice))).status).toBe(404);
    // Bob's copy shares the content and keeps it.
    expect(await downloadHashed(contentUrl(copyId), auth(bob))).toMatchObject({
      status: 200,
      sha1,
    });
    // Every process is still up: the gateway did not hide a replica that died on the way.
    const processes = [...Object.values(cluster.replicas).flat(), ...cluster.workers];
    expect(processes.map((p) => p.child.exitCode ?? p.child.signalCode)).toEqual(
      processes.map(() => null),
    );
  });

  it('SIGKILL of an upload replica during a 200 MB upload (4 chunks in flight): failed chunks are sent again, nothing is lost', async () => {
    bigOwner = await newUser(cluster.url);
    const sha1 = await sha1Of(big);
    const [victim] = cluster.replicas.upload;
    const killed = once(victim!.child, 'exit');
    let done = 0;
    let sending: ReadonlySet<string> = new Set();
    const uploading = uploadInChunks(bigOwner, 'big.bin', big, {
      inFlight: 4,
      onChunkDone: (count, now) => ([done, sending] = [count, now]),
    });
    await expect.poll(() => done, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(8);
    // The kill lands while the victim writes a chunk into the shared staging file.
    const staging = path.join(inject('clusterDataDir'), 'staging');
    await expect
      .poll(() => filesWrittenUnder(victim!.child.pid!, staging).length, {
        timeout: 60_000,
        interval: 5,
      })
      .toBeGreaterThan(0);
    const inFlightAtKill = [...sending];
    victim!.child.kill('SIGKILL');
    const { uploadId, completed, failedPuts } = await uploading;
    await killed;
    expect(completed.status).toBe(201);
    expect(completed.body.file).toMatchObject({ sha1, size: big.size });
    bigFileId = completed.body.file.id;
    expect(chunksServed(victim!, uploadId)).toBeGreaterThan(0);
    // The kill cut off PUTs on the victim. The gateway passed such a PUT to the other replica
    // itself (its upstream list names both), or answered it 502 and the client sent it again.
    const puts = chunkPutsAtGateway(uploadId);
    const cutOff = puts.filter(
      (put) =>
        inFlightAtKill.includes(put.requestId) &&
        put.upstreams[0] === `127.0.0.1:${victim!.port}` &&
        (put.upstreams.length > 1 || put.status !== 204),
    );
    expect(cutOff.length, JSON.stringify({ inFlightAtKill, puts })).toBeGreaterThan(0);
    const refused = puts.filter((put) => put.status !== 204);
    expect(failedPuts, JSON.stringify(refused)).toBe(refused.length);
    await cluster.restart('upload', 0);

    expect(await downloadHashed(contentUrl(bigFileId), auth(bigOwner))).toEqual({
      status: 200,
      sha1,
      bytes: big.size,
    });
    await waitStored(sha1, 90_000);
    expect(await storedSize(sha1)).toBe(big.size);
  }, 180_000);

  it('SIGKILL of the transfer worker copying a file: the other worker finishes it, nothing is dead-lettered', async () => {
    const user = await newUser(cluster.url);
    const content = new Content('cluster-transfer', 30 * MiB + 77);
    const sha1 = await sha1Of(content);
    slowParts = true;
    try {
      const { completed } = await uploadInChunks(user, 'transfer.bin', content);
      expect(completed.status).toBe(201);
      const s3Port = Number(new URL(cluster.s3.endpoint).port);
      // The worker whose connection to the store carries a part of this file right now.
      const copying = () =>
        cluster.workers.find((worker) =>
          socketsOf(worker.child.pid!).some(
            (socket) => socket.remotePort === s3Port && partSenders.has(socket.localPort),
          ),
        );
      let victim: WorkerProcess | undefined;
      await expect
        .poll(() => (victim = copying()), { timeout: 30_000, interval: 50 })
        .toBeDefined();
      await victim!.kill('SIGKILL');
      expect(await stateOf(sha1)).toBe('staged');
      await waitStored(sha1);
    } finally {
      slowParts = false;
    }
    expect(await storedSize(sha1)).toBe(content.size);
    const file = (await user.call('GET', '/api/files')).body.items.find(
      (item: { sha1?: string }) => item.sha1 === sha1,
    );
    expect(await downloadHashed(contentUrl(file.id), auth(user))).toEqual({
      status: 200,
      sha1,
      bytes: content.size,
    });
    expect((await queueState(cluster.names.workQueue)).messageCount).toBe(0);
    expect((await queueState(cluster.names.deadQueue)).messageCount).toBe(0);
  }, 120_000);

  it('SIGTERM of the download replica serving a slow reader: the download in flight finishes', async () => {
    const download = await startDownload(contentUrl(bigFileId), auth(bigOwner));
    expect(download.status).toBe(200);
    download.pause();
    // The replica serving it has bytes waiting in its socket to the gateway for the paused reader.
    const serving = () =>
      cluster.replicas.download.find((replica) =>
        socketsOf(replica.child.pid!).some(
          (socket) => socket.localPort === replica.port && socket.sendQueue > 0,
        ),
      );
    let found: Replica | undefined;
    await expect.poll(() => (found = serving()), { timeout: 10_000, interval: 50 }).toBeDefined();
    const replica = found!;
    const exited = once(replica.child, 'exit');
    replica.child.kill('SIGTERM');
    await expect
      .poll(() =>
        fetch(`${replica.baseUrl}/healthz`).then(
          () => 'accepted',
          (err: { cause?: { code?: string } }) => err.cause?.code,
        ),
      )
      .toBe('ECONNREFUSED');
    expect(download.received()).toBeLessThan(big.size);
    // Meanwhile the gateway sends new downloads to the other replica.
    const meanwhile = await bigOwner.raw('GET', `/api/files/${bigFileId}/content`, {
      headers: { range: 'bytes=0-99' },
    });
    expect(meanwhile.status).toBe(206);
    expect(Buffer.from(await meanwhile.arrayBuffer()).equals(big.bytes(0, 100))).toBe(true);

    download.resume();
    expect(await download.finished).toEqual({ sha1: await sha1Of(big), bytes: big.size });
    expect((await exited)[0]).toBe(0);
  }, 120_000);
});
