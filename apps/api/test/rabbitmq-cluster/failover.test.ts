// Issue 12: transfer jobs through quorum queues on a 3-node RabbitMQ cluster (started by
// cluster.ts). The API lists the three nodes in AMQP_URL; the node that leads the queues and holds
// the API's connection is stopped while transfers run: the client reconnects to a live node, the
// queues elect a new leader, and every job completes with nothing lost and nothing left over.
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topologyNames } from '../../src/queue/amqp-topology.ts';
import { objectKeyFor } from '../../src/storage/object-store.ts';
import { newUser, sha1Of } from '../support/client.ts';
import { startS3rver, type RunningS3rver } from '../support/s3rver.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import {
  download,
  newNamespace,
  s3Env,
  s3StoreOf,
  TEST_RETRY_DELAYS,
  waitFor,
  waitForState,
} from '../support/transfer.ts';
import { nodeName, nodeUrl, NODES, queuesOf, stopNode } from './cluster.ts';

const MiB = 1024 * 1024;

async function messagesIn(url: string, queues: string[]): Promise<number> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    let total = 0;
    for (const queue of queues) total += (await channel.checkQueue(queue)).messageCount;
    return total;
  } finally {
    await connection.close();
  }
}

describe('transfers through quorum queues on a 3-node RabbitMQ cluster', () => {
  const namespace = newNamespace();
  const names = topologyNames(namespace, 's3', TEST_RETRY_DELAYS, 'quorum');
  let s3: RunningS3rver;
  let server: TestServer;
  let partsReceived = 0;

  beforeAll(async () => {
    // Each part takes 150 ms, so the node stops while transfers are in flight.
    s3 = await startS3rver('filestore-cluster', async (ctx) => {
      if (ctx.method === 'PUT' && ctx.url.includes('partNumber=')) {
        partsReceived += 1;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    });
    server = await startTestServer({
      ...s3Env(s3),
      AMQP_URL: NODES.map(nodeUrl).join(','),
      AMQP_QUEUE_TYPE: 'quorum',
      AMQP_NAMESPACE: namespace,
      TRANSFER_RETRY_DELAYS: TEST_RETRY_DELAYS.map((delay) => `${delay}ms`).join(','),
    });
  });
  afterAll(async () => {
    await server?.stop();
    await s3?.stop();
  });

  it(
    'the queue leader stops mid-transfer: the client moves to a live node and every job completes',
    { timeout: 150_000 },
    async () => {
      const queues = queuesOf(2, `${namespace}.`);
      expect(queues.map((queue) => queue.type)).toEqual(queues.map(() => 'quorum'));
      expect(queues.length).toBe(2 + TEST_RETRY_DELAYS.length);
      const work = queues.find((queue) => queue.name === names.workQueue)!;
      expect([...work.members].sort()).toEqual(NODES.map(nodeName));
      // The first URL is the node the API connected to; its queues lead there (client-local).
      expect(work.leader).toBe(nodeName(1));

      const alice = await newUser(server.baseUrl);
      const before = [1, 2, 3, 4].map(() => randomBytes(11 * MiB)); // three parts each
      const uploaded = [];
      for (const [i, bytes] of before.entries())
        uploaded.push({ bytes, res: await alice.upload(`before-${i}.bin`, bytes) });
      await waitFor(async () => expect(partsReceived).toBeGreaterThanOrEqual(2));

      stopNode(1);
      const survivors = queuesOf(2, names.workQueue);
      expect([nodeName(2), nodeName(3)]).toContain(survivors[0]!.leader);

      // Uploads while the client reconnects are published to the survivors.
      const after = [1, 2].map(() => randomBytes(3 * MiB));
      for (const [i, bytes] of after.entries())
        uploaded.push({ bytes, res: await alice.upload(`after-${i}.bin`, bytes) });

      for (const { bytes, res } of uploaded) {
        expect(res.status).toBe(201);
        await waitForState(server, sha1Of(bytes), 'stored');
      }
      // Nothing waits, nothing was dead-lettered, and no job comes back later.
      const all = [names.workQueue, names.deadQueue, ...TEST_RETRY_DELAYS.map(names.retryQueue)];
      await waitFor(async () => expect(await messagesIn(nodeUrl(2), all)).toBe(0));
      // Delivery is at least once: a job whose ack died with the node runs again, and the copy is
      // idempotent (same key, same bytes). s3rver writes an object in place (S3 replaces it
      // atomically), so a second copy still being written shows a short object for a moment.
      for (const { bytes, res } of uploaded) {
        const key = objectKeyFor(sha1Of(bytes));
        await waitFor(async () => expect((await s3StoreOf(s3).head(key))?.size).toBe(bytes.length));
        expect((await download(alice, res.body.file.id)).bytes.equals(bytes)).toBe(true);
      }
      expect(await server.blobCount()).toBe(0);
    },
  );
});
