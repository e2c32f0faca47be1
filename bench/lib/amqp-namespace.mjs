// A throw-away AMQP_NAMESPACE on the local RabbitMQ for one bench run: the names the app declares
// under it (apps/api/src/queue/amqp-topology.ts), waiting for the worker's consumer, and removing
// everything afterwards.
import amqp from 'amqplib';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const RETRY_DELAYS = ['5000ms', '30000ms', '300000ms']; // the app's default TRANSFER_RETRY_DELAYS

/** A connection, waiting up to a minute for a broker that is being restarted. */
async function connectPatiently(timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await amqp.connect(AMQP_URL);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(1000);
    }
  }
}

/** A fresh namespace and a connection to inspect and finally delete its queues and exchanges. */
export async function openNamespace(target = 's3') {
  const name = `bench-${randomBytes(6).toString('hex')}`;
  const workQueue = `${name}.transfer.${target}`;
  const deadQueue = `${name}.transfer.dead`;
  const connection = await connectPatiently();
  // A broker restart closes the connection: the next check fails loudly; no 'error' crash here.
  connection.on('error', () => undefined);
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  return {
    name,
    workQueue,
    deadQueue,
    /** Ready messages and consumers of a queue the app has declared. */
    check: (queue) => channel.checkQueue(queue),
    /** Resolves once the work queue has a consumer (the worker is taking jobs). */
    async waitForConsumer(child, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}`);
        if ((await channel.checkQueue(workQueue)).consumerCount > 0) return;
        await sleep(10);
      }
      throw new Error(`no consumer on ${workQueue} within ${timeoutMs} ms`);
    },
    /** Deletes the namespace's queues and exchanges, on a new connection (the broker may have
     * restarted since the namespace was opened). */
    async delete() {
      await connection.close().catch(() => undefined);
      const cleaner = await connectPatiently();
      try {
        const ch = await cleaner.createChannel();
        const retries = RETRY_DELAYS.map((delay) => `${workQueue}.retry.${delay}`);
        for (const queue of [workQueue, deadQueue, ...retries]) await ch.deleteQueue(queue);
        for (const exchange of [`${name}.transfer`, `${name}.transfer.dead`])
          await ch.deleteExchange(exchange);
      } finally {
        await cleaner.close();
      }
    },
  };
}
