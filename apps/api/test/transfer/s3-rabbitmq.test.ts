// Issue 4 against the real things: RabbitMQ at 127.0.0.1:5672 and s3rver. Every test here shares
// the broker, so they run in one file, one after the other (one stops and starts the broker).
// Issue 12 adds the quorum queues: declared with their type, the transfer flow, retries through the
// TTL queues, dead letters, and the delivery limit for a job that keeps coming back unacked.
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import {
  declareTopology,
  QUORUM_DELIVERY_LIMIT,
  topologyNames,
} from '../../src/queue/amqp-topology.ts';
import { objectKeyFor } from '../../src/storage/object-store.ts';
import { newUser, sha1Of } from '../support/client.ts';
import { deleteForever } from '../support/trash.ts';
import { spawnWorker } from '../support/process.ts';
import { startS3rver, type RunningS3rver } from '../support/s3rver.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import {
  AMQP_URL,
  amqpEnv,
  contentRow,
  ControlledStore,
  download,
  newNamespace,
  queueState,
  queueTypes,
  rabbitmq,
  removeNamespace,
  s3Env,
  s3StoreOf,
  TEST_RETRY_DELAYS,
  waitFor,
  waitForStagedCopyGone,
  waitForState,
} from '../support/transfer.ts';

const MiB = 1024 * 1024;

describe('transfer to S3 through RabbitMQ, worker in the API process', () => {
  const namespace = newNamespace();
  let s3: RunningS3rver;
  let store: ControlledStore;
  let server: TestServer;
  let alice: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    s3 = await startS3rver();
    store = new ControlledStore(s3StoreOf(s3));
    server = await startTestServer({ ...s3Env(s3), ...amqpEnv(namespace) }, { remote: store });
    alice = await newUser(server.baseUrl);
  });
  afterAll(async () => {
    await server?.stop();
    await removeNamespace(namespace, 's3');
    await s3?.stop();
  });

  const waitStored = (sha1: string) => waitForState(server, sha1, 'stored');

  it('answers the upload at once, then moves the bytes to the bucket; downloads work before, during and after, with Range', async () => {
    const bytes = randomBytes(12 * MiB + 123); // above the 5 MiB part size: a multipart upload
    const sha1 = sha1Of(bytes);
    const key = objectKeyFor(sha1);
    const held = store.hold();

    const uploaded = await alice.upload('big.bin', bytes);
    expect(uploaded.status).toBe(201);
    expect(await contentRow(server, sha1)).toMatchObject({ state: 'staged', driver: 'local' });
    await held; // the worker is copying (held on the gate)
    const id = uploaded.body.file.id;
    expect((await download(alice, id)).bytes.equals(bytes)).toBe(true);
    const during = await download(alice, id, 'bytes=1000-1999');
    expect(during.status).toBe(206);
    expect(during.bytes.equals(bytes.subarray(1000, 2000))).toBe(true);
    expect(await s3StoreOf(s3).head(key)).toBeUndefined();

    store.release();
    await waitStored(sha1);
    expect(await contentRow(server, sha1)).toMatchObject({ driver: 's3', location: key });
    await waitForStagedCopyGone(server);
    expect((await s3StoreOf(s3).head(key))?.size).toBe(bytes.length);
    expect((await download(alice, id)).bytes.equals(bytes)).toBe(true);
    const after = await download(alice, id, `bytes=${bytes.length - 10}-`);
    expect(after.status).toBe(206);
    expect(after.bytes.equals(bytes.subarray(bytes.length - 10))).toBe(true);
  });

  it('instant upload proves possession against the bytes in the bucket; deleting the last reference deletes the object', async () => {
    const bytes = randomBytes(300_000);
    const sha1 = sha1Of(bytes);
    const first = await alice.upload('one.bin', bytes);
    await waitStored(sha1);

    const bob = await newUser(server.baseUrl);
    const instant = await bob.instantUpload('same.bin', bytes);
    expect(instant.status).toBe(201);
    expect((await contentRow(server, sha1))?.ref_count).toBe(2);

    expect((await deleteForever(alice, first.body.file.id)).status).toBe(204);
    expect((await s3StoreOf(s3).head(objectKeyFor(sha1)))?.size).toBe(bytes.length);
    expect((await deleteForever(bob, instant.body.file.id)).status).toBe(204);
    await waitForState(server, sha1, undefined);
    expect(await s3StoreOf(s3).head(objectKeyFor(sha1))).toBeUndefined();
  });

  it('a store that refuses writes: retries with growing delays, then the dead-letter queue; re-queued once the store is back, the job completes', async () => {
    const names = topologyNames(namespace, 's3', TEST_RETRY_DELAYS);
    const bytes = randomBytes(200_000);
    const sha1 = sha1Of(bytes);
    store.refusing = true;
    const putsBefore = store.puts;
    try {
      const uploaded = await alice.upload('refused.bin', bytes);
      expect(uploaded.status).toBe(201);
      await waitFor(async () => expect((await queueState(names.deadQueue)).messageCount).toBe(1));
      // The first attempt and one per retry delay, then no more.
      expect(store.puts - putsBefore).toBe(1 + TEST_RETRY_DELAYS.length);
      expect((await contentRow(server, sha1))?.state).toBe('staged');
      // Meanwhile the file is served from staging.
      expect((await download(alice, uploaded.body.file.id)).bytes.equals(bytes)).toBe(true);
    } finally {
      store.refusing = false;
    }
    expect(await server.services.transfer!.queue.requeueDead('s3')).toBe(1);
    await waitStored(sha1);
    expect((await queueState(names.deadQueue)).messageCount).toBe(0);
  });

  it('bytes changed on the way to the store are caught by the MD5 check: the row never says stored', async () => {
    const names = topologyNames(namespace, 's3', TEST_RETRY_DELAYS);
    const bytes = randomBytes(100_000); // one piece: its ETag is its MD5
    const sha1 = sha1Of(bytes);
    store.corrupting = true;
    try {
      expect((await alice.upload('corrupted.bin', bytes)).status).toBe(201);
      await waitFor(async () => expect((await queueState(names.deadQueue)).messageCount).toBe(1));
      expect(await contentRow(server, sha1)).toMatchObject({ state: 'staged', driver: 'local' });
    } finally {
      store.corrupting = false;
    }
    expect(await server.services.transfer!.queue.requeueDead('s3')).toBe(1);
    await waitStored(sha1);
    const stored = await s3StoreOf(s3).get(objectKeyFor(sha1));
    const chunks: Buffer[] = [];
    for await (const chunk of stored) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('the broker stopped while uploads complete: no job is lost, every transfer finishes', async () => {
    const files = [1, 2, 3].map(() => randomBytes(100_000));
    const ready = async () => (await fetch(`${server.baseUrl}/readyz`)).status;
    rabbitmq('stop_app');
    try {
      for (const [i, bytes] of files.entries()) {
        expect((await alice.upload(`offline-${i}.bin`, bytes)).status).toBe(201);
        // Not confirmed by the broker: the row waits for the relay.
        expect((await contentRow(server, sha1Of(bytes)))?.queued_at).toBeNull();
      }
      expect(await ready()).toBe(503);
    } finally {
      rabbitmq('start_app');
    }
    for (const bytes of files) await waitStored(sha1Of(bytes));
    expect(await ready()).toBe(200);
  });
});

describe('a transfer worker process killed mid-transfer', () => {
  const namespace = newNamespace();
  let s3: RunningS3rver;
  let server: TestServer;
  let partsReceived = 0;

  beforeAll(async () => {
    // A slow store: each part takes 300 ms, so the kill lands in the middle of the copy.
    s3 = await startS3rver('filestore-kill', async (ctx) => {
      if (ctx.method === 'PUT' && ctx.url.includes('partNumber=')) {
        partsReceived += 1;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    });
    // The API does not transfer here: the worker processes do.
    server = await startTestServer({
      ...s3Env(s3),
      ...amqpEnv(namespace),
      SERVICES: 'account,files,upload,download',
    });
  });
  afterAll(async () => {
    await server?.stop();
    await removeNamespace(namespace, 's3');
    await s3?.stop();
  });

  it('SIGKILL during the copy: the job is redelivered and completes; the staged copy goes only after the row says stored', async () => {
    const names = topologyNames(namespace, 's3', TEST_RETRY_DELAYS);
    const consuming = async () => (await queueState(names.workQueue)).consumerCount > 0;
    const alice = await newUser(server.baseUrl);
    const bytes = randomBytes(48 * MiB + 5);
    const sha1 = sha1Of(bytes);
    const uploaded = await alice.upload('large.bin', bytes);
    expect(uploaded.status).toBe(201);

    const first = await spawnWorker(server.env, consuming);
    await waitFor(async () => expect(partsReceived).toBeGreaterThanOrEqual(2));
    await first.kill('SIGKILL');
    expect(await contentRow(server, sha1)).toMatchObject({ state: 'staged', driver: 'local' });
    expect(await server.blobCount()).toBe(1);
    expect(await s3StoreOf(s3).head(objectKeyFor(sha1))).toBeUndefined();
    expect((await download(alice, uploaded.body.file.id)).bytes.equals(bytes)).toBe(true);

    const second = await spawnWorker(server.env, consuming);
    try {
      await waitForState(server, sha1, 'stored');
    } finally {
      await second.kill('SIGTERM');
    }
    expect(await server.blobCount()).toBe(0);
    expect((await s3StoreOf(s3).head(objectKeyFor(sha1)))?.size).toBe(bytes.length);
    expect((await download(alice, uploaded.body.file.id)).bytes.equals(bytes)).toBe(true);
    expect((await queueState(names.workQueue)).messageCount).toBe(0);
    expect((await queueState(names.deadQueue)).messageCount).toBe(0);
  });

  it('SIGTERM during a copy: the worker stops taking jobs, finishes the one in flight, then exits', async () => {
    const names = topologyNames(namespace, 's3', TEST_RETRY_DELAYS);
    const consuming = async () => (await queueState(names.workQueue)).consumerCount > 0;
    const alice = await newUser(server.baseUrl);
    const bytes = randomBytes(40 * MiB);
    const sha1 = sha1Of(bytes);
    expect((await alice.upload('term.bin', bytes)).status).toBe(201);
    const partsBefore = partsReceived;
    const worker = await spawnWorker(server.env, consuming);
    await waitFor(async () => expect(partsReceived - partsBefore).toBeGreaterThanOrEqual(1));
    await worker.kill('SIGTERM'); // resolves when the process has exited
    expect((await contentRow(server, sha1))?.state).toBe('stored');
    expect(await server.blobCount()).toBe(0);
    expect((await queueState(names.workQueue)).consumerCount).toBe(0);
  });
});

// Issue 12: the same queues as RabbitMQ quorum queues (AMQP_QUEUE_TYPE=quorum).
describe('AMQP configuration', () => {
  it('defaults to classic, accepts quorum, refuses anything else', () => {
    expect(loadConfig({}).amqpQueueType).toBe('classic');
    expect(loadConfig({ AMQP_QUEUE_TYPE: 'quorum' }).amqpQueueType).toBe('quorum');
    expect(() => loadConfig({ AMQP_QUEUE_TYPE: 'stream' })).toThrow(ConfigError);
    expect(() => loadConfig({ AMQP_QUEUE_TYPE: 'stream' })).toThrow('AMQP_QUEUE_TYPE');
  });

  it('AMQP_URL takes the nodes of a cluster, comma-separated; each must be an AMQP URL', () => {
    expect(loadConfig({}).amqpUrls).toEqual([]);
    expect(
      loadConfig({ AMQP_URL: 'amqp://u:p@mq-0:5672, amqp://u:p@mq-1:5672,amqps://u:p@mq-2' })
        .amqpUrls,
    ).toEqual(['amqp://u:p@mq-0:5672', 'amqp://u:p@mq-1:5672', 'amqps://u:p@mq-2']);
    expect(() => loadConfig({ AMQP_URL: 'amqp://u:p@mq-0:5672,mq-1:5672' })).toThrow('AMQP_URL');
  });
});

describe('transfer to S3 through RabbitMQ quorum queues', () => {
  const namespace = newNamespace();
  const names = topologyNames(namespace, 's3', TEST_RETRY_DELAYS, 'quorum');
  let s3: RunningS3rver;
  let store: ControlledStore;
  let server: TestServer;
  let alice: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    s3 = await startS3rver('filestore-quorum');
    store = new ControlledStore(s3StoreOf(s3));
    server = await startTestServer(
      { ...s3Env(s3), ...amqpEnv(namespace), AMQP_QUEUE_TYPE: 'quorum' },
      { remote: store },
    );
    alice = await newUser(server.baseUrl);
  });
  afterAll(async () => {
    await server?.stop();
    await removeNamespace(namespace, 's3');
    await s3?.stop();
  });

  it('declares the work, retry and dead-letter queues as quorum queues', async () => {
    const types = await queueTypes(namespace);
    expect(types).toEqual(
      new Map(
        [names.workQueue, names.deadQueue, ...TEST_RETRY_DELAYS.map(names.retryQueue)].map(
          (queue) => [queue, 'quorum'],
        ),
      ),
    );
  });

  it('moves an upload to the bucket', async () => {
    const bytes = randomBytes(7 * 1024 * 1024 + 11);
    const sha1 = sha1Of(bytes);
    const uploaded = await alice.upload('quorum.bin', bytes);
    expect(uploaded.status).toBe(201);
    await waitForState(server, sha1, 'stored');
    expect((await s3StoreOf(s3).head(objectKeyFor(sha1)))?.size).toBe(bytes.length);
    expect((await download(alice, uploaded.body.file.id)).bytes.equals(bytes)).toBe(true);
  });

  it('a store that refuses writes: retries through the TTL queues, then the dead-letter queue; re-queued, the job completes', async () => {
    const bytes = randomBytes(150_000);
    const sha1 = sha1Of(bytes);
    store.refusing = true;
    const putsBefore = store.puts;
    try {
      expect((await alice.upload('refused.bin', bytes)).status).toBe(201);
      await waitFor(async () => expect((await queueState(names.deadQueue)).messageCount).toBe(1));
      expect(store.puts - putsBefore).toBe(1 + TEST_RETRY_DELAYS.length);
      expect((await contentRow(server, sha1))?.state).toBe('staged');
    } finally {
      store.refusing = false;
    }
    expect(await server.services.transfer!.queue.requeueDead('s3')).toBe(1);
    await waitForState(server, sha1, 'stored');
    expect((await queueState(names.deadQueue)).messageCount).toBe(0);
  });
});

describe('the quorum work queue delivery limit', () => {
  const namespace = newNamespace();
  const names = topologyNames(namespace, 's3', TEST_RETRY_DELAYS, 'quorum');
  afterAll(() => removeNamespace(namespace, 's3'));

  it('a job handed back unacknowledged again and again (a worker that crashes on it) ends in the dead-letter queue', async () => {
    const connection = await amqp.connect(AMQP_URL);
    try {
      const channel = await connection.createConfirmChannel();
      await declareTopology(channel, names);
      channel.publish(names.exchange, 's3', Buffer.from('{"poison":true}'), { persistent: true });
      await channel.waitForConfirms();
      let deliveries = 0;
      await channel.consume(names.workQueue, (message) => {
        if (!message) return;
        deliveries += 1;
        channel.nack(message, false, true); // back to the queue, as a lost consumer would
      });
      await waitFor(async () => expect((await queueState(names.deadQueue)).messageCount).toBe(1));
      expect(deliveries).toBe(QUORUM_DELIVERY_LIMIT + 1);
      expect((await queueState(names.workQueue)).messageCount).toBe(0);
    } finally {
      await connection.close();
    }
  });
});
