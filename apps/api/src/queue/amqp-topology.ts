// The RabbitMQ objects of the transfer queue, declared by the code at every (re)connection; the
// declarations are idempotent and nothing is set up by hand.
//
//   <ns>.transfer (direct) ──<target>──▶ <ns>.transfer.<target>            work queue, consumed
//   failed job ──▶ <ns>.transfer.<target>.retry.<ms>  (TTL <ms>, dead-letters back to <ns>.transfer)
//   last failure, or a malformed message ──▶ <ns>.transfer.dead (fanout) ──▶ <ns>.transfer.dead
import type { Channel } from 'amqplib';
import type { RemoteDriver } from './transfer-job.ts';

export interface TopologyNames {
  exchange: string;
  target: RemoteDriver;
  workQueue: string;
  retryDelaysMs: readonly number[];
  retryQueue: (delayMs: number) => string;
  deadExchange: string;
  deadQueue: string;
}

export function topologyNames(
  namespace: string,
  target: RemoteDriver,
  retryDelaysMs: readonly number[],
): TopologyNames {
  const exchange = `${namespace}.transfer`;
  const workQueue = `${exchange}.${target}`;
  return {
    exchange,
    target,
    workQueue,
    retryDelaysMs,
    // One queue per delay: a queue's TTL is fixed, and equal TTLs keep expiry in FIFO order.
    retryQueue: (delayMs) => `${workQueue}.retry.${delayMs}ms`,
    deadExchange: `${exchange}.dead`,
    deadQueue: `${exchange}.dead`,
  };
}

export async function declareTopology(channel: Channel, names: TopologyNames): Promise<void> {
  await channel.assertExchange(names.exchange, 'direct', { durable: true });
  await channel.assertExchange(names.deadExchange, 'fanout', { durable: true });
  await channel.assertQueue(names.deadQueue, { durable: true });
  await channel.bindQueue(names.deadQueue, names.deadExchange, '');
  await channel.assertQueue(names.workQueue, {
    durable: true,
    deadLetterExchange: names.deadExchange,
  });
  await channel.bindQueue(names.workQueue, names.exchange, names.target);
  for (const delayMs of names.retryDelaysMs) {
    await channel.assertQueue(names.retryQueue(delayMs), {
      durable: true,
      messageTtl: delayMs,
      deadLetterExchange: names.exchange,
      deadLetterRoutingKey: names.target,
    });
  }
}
