// The RabbitMQ objects of the transfer queue, declared by the code at every (re)connection; the
// declarations are idempotent and nothing is set up by hand.
//
//   <ns>.transfer (direct) ──<target>──▶ <ns>.transfer.<target>            work queue, consumed
//   failed job ──▶ <ns>.transfer.<target>.retry.<ms>  (TTL <ms>, dead-letters back to <ns>.transfer)
//   last failure, or a malformed message ──▶ <ns>.transfer.dead (fanout) ──▶ <ns>.transfer.dead
//
// `classic` queues suit a single broker. `quorum` queues (AMQP_QUEUE_TYPE=quorum) are replicated by
// Raft over a cluster and survive the loss of a minority of nodes. Their rules (RabbitMQ ≥ 3.10):
// a per-queue message TTL is accepted (the retry queues); dead lettering is at-least-once, which
// needs `reject-publish` overflow; and a delivery limit dead-letters a job that keeps coming back
// unacknowledged (a worker that crashes on it), which a classic queue would redeliver forever.
// A queue's type is fixed when it is first declared: redeclaring it with another type fails with
// PRECONDITION_FAILED, so switching type means a new AMQP_NAMESPACE or deleting the drained queues.
import type { Channel, Options } from 'amqplib';
import type { RemoteDriver } from './transfer-job.ts';

export type QueueType = 'classic' | 'quorum';

/** Deliveries of one job (redeliveries after a lost worker included) before a quorum queue gives up. */
export const QUORUM_DELIVERY_LIMIT = 10;

export interface TopologyNames {
  exchange: string;
  target: RemoteDriver;
  workQueue: string;
  retryDelaysMs: readonly number[];
  retryQueue: (delayMs: number) => string;
  deadExchange: string;
  deadQueue: string;
  queueType: QueueType;
}

export function topologyNames(
  namespace: string,
  target: RemoteDriver,
  retryDelaysMs: readonly number[],
  queueType: QueueType = 'classic',
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
    queueType,
  };
}

/**
 * Declaration options of a queue of `type`. A quorum queue that dead-letters does it at least once
 * (the message stays until the target queue confirms it), which needs `reject-publish` overflow;
 * `deliveryLimit` applies to quorum queues only.
 */
function queueOptions(
  type: QueueType,
  options: Options.AssertQueue & { deliveryLimit?: number },
): Options.AssertQueue {
  const { deliveryLimit, ...classic } = options;
  if (type === 'classic') return { durable: true, ...classic };
  const dead =
    options.deadLetterExchange === undefined
      ? {}
      : {
          'x-dead-letter-strategy': 'at-least-once',
          'x-overflow': 'reject-publish',
        };
  const limit = deliveryLimit === undefined ? {} : { 'x-delivery-limit': deliveryLimit };
  return { durable: true, ...classic, arguments: { 'x-queue-type': 'quorum', ...dead, ...limit } };
}

export async function declareTopology(channel: Channel, names: TopologyNames): Promise<void> {
  const type = names.queueType;
  await channel.assertExchange(names.exchange, 'direct', { durable: true });
  await channel.assertExchange(names.deadExchange, 'fanout', { durable: true });
  await channel.assertQueue(names.deadQueue, queueOptions(type, {}));
  await channel.bindQueue(names.deadQueue, names.deadExchange, '');
  await channel.assertQueue(
    names.workQueue,
    queueOptions(type, {
      deadLetterExchange: names.deadExchange,
      deliveryLimit: QUORUM_DELIVERY_LIMIT,
    }),
  );
  await channel.bindQueue(names.workQueue, names.exchange, names.target);
  for (const delayMs of names.retryDelaysMs) {
    await channel.assertQueue(
      names.retryQueue(delayMs),
      queueOptions(type, {
        messageTtl: delayMs,
        deadLetterExchange: names.exchange,
        deadLetterRoutingKey: names.target,
      }),
    );
  }
}
