// Transfer jobs through RabbitMQ (amqplib): persistent messages with publisher confirms, manual
// acks with a prefetch limit, retries through TTL queues that dead-letter back into the work queue,
// a dead-letter queue after the last retry, and reconnection with backoff when the broker goes away.
// With several URLs (the nodes of a cluster) each connection tries them in turn, starting after the
// node that was last reached, so a stopped node hands its clients to a live one.
import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { retryDelay, TransferJob, type JobHandler, type RemoteDriver } from './transfer-job.ts';
import type { TransferQueue } from './transfer-queue.ts';
import { countDeadJob } from '../metrics.ts';
import { jobLogger, runLogged } from './job-log.ts';
import {
  declareTopology,
  topologyNames,
  type QueueType,
  type TopologyNames,
} from './amqp-topology.ts';

const MAX_RECONNECT_DELAY_MS = 15_000;

export interface AmqpQueueOptions {
  /** One broker, or the nodes of a cluster. */
  urls: readonly string[];
  namespace: string;
  queueType: QueueType;
  /** The store whose queues this process declares (and consumes, when it runs the worker). */
  target: RemoteDriver;
  retryDelaysMs: readonly number[];
  logger: Logger;
  /** Called after a lost connection is back, so the relay can publish what failed meanwhile. */
  onReconnect?: () => void;
}

interface Consumer {
  handler: JobHandler;
  concurrency: number;
}

/** Publishes on a confirm channel and resolves when the broker has taken the message. */
function confirmedPublish(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  attempt: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.publish(
      exchange,
      routingKey,
      content,
      { persistent: true, contentType: 'application/json', headers: { 'x-attempt': attempt } },
      (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    );
  });
}

export class AmqpQueue implements TransferQueue {
  readonly durable = true;
  private readonly names: TopologyNames;
  private connection: ChannelModel | undefined;
  private publisher: ConfirmChannel | undefined;
  private subscriber: ConfirmChannel | undefined;
  private consumer: Consumer | undefined;
  private readonly running = new Set<Promise<void>>();
  private closing = false;
  private reconnecting = false;
  /** Index in `urls` of the node tried first at the next connection. */
  private nextUrl = 0;

  private constructor(private readonly options: AmqpQueueOptions) {
    this.names = topologyNames(
      options.namespace,
      options.target,
      options.retryDelaysMs,
      options.queueType,
    );
  }

  /** Connects and declares the topology; a broker that is down is retried in the background. */
  static async open(options: AmqpQueueOptions): Promise<AmqpQueue> {
    const queue = new AmqpQueue(options);
    await queue.connect().catch((err: unknown) => {
      options.logger.error({ err }, 'RabbitMQ is not reachable; retrying in the background');
      queue.reconnect();
    });
    return queue;
  }

  async publish(job: TransferJob): Promise<void> {
    if (!this.publisher) throw new Error('RabbitMQ is not connected');
    const body = Buffer.from(JSON.stringify(job));
    await confirmedPublish(this.publisher, this.names.exchange, job.to, body, 1);
  }

  async consume(target: RemoteDriver, handler: JobHandler, concurrency: number): Promise<void> {
    if (target !== this.options.target) throw new Error(`this queue serves ${this.options.target}`);
    this.consumer = { handler, concurrency };
    if (this.connection) await this.startConsumer();
  }

  async stopConsuming(graceMs: number): Promise<void> {
    this.consumer = undefined;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (!subscriber) return;
    const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all(this.running), grace]);
    // Closing the channel hands every unacknowledged job back to the broker for another worker.
    await subscriber.close().catch(() => undefined);
  }

  async requeueDead(): Promise<number> {
    const channel = this.publisher;
    if (!channel) throw new Error('RabbitMQ is not connected');
    let moved = 0;
    for (;;) {
      const message = await channel.get(this.names.deadQueue, { noAck: false });
      if (!message) return moved;
      const job = TransferJob.safeParse(JSON.parse(message.content.toString()));
      if (job.success) {
        await confirmedPublish(channel, this.names.exchange, job.data.to, message.content, 1);
        moved += 1;
      }
      channel.ack(message);
    }
  }

  async check(): Promise<void> {
    if (!this.publisher) throw new Error('RabbitMQ is not connected');
    await this.publisher.checkExchange(this.names.exchange);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.stopConsuming(0);
    await this.connection?.close().catch(() => undefined);
    this.connection = undefined;
    this.publisher = undefined;
  }

  /** Opens a connection to the first node of `urls` that answers, starting at `nextUrl`. */
  private async dial(): Promise<ChannelModel> {
    const { urls } = this.options;
    let failure: unknown;
    for (let i = 0; i < urls.length; i++) {
      const index = (this.nextUrl + i) % urls.length;
      try {
        const connection = await amqp.connect(urls[index]!);
        // A later loss tries the other nodes first.
        this.nextUrl = (index + 1) % urls.length;
        return connection;
      } catch (err) {
        failure = err;
      }
    }
    throw failure;
  }

  private async connect(): Promise<void> {
    const connection = await this.dial();
    connection.on('error', (err: Error) =>
      this.options.logger.warn({ err }, 'RabbitMQ connection error'),
    );
    connection.on('close', () => {
      if (this.connection !== connection) return;
      this.connection = undefined;
      this.publisher = undefined;
      this.subscriber = undefined;
      if (!this.closing) {
        this.options.logger.warn('RabbitMQ connection lost; reconnecting');
        this.reconnect();
      }
    });
    try {
      const publisher = await connection.createConfirmChannel();
      await declareTopology(publisher, this.names);
      this.connection = connection;
      this.publisher = publisher;
      if (this.consumer) await this.startConsumer();
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  /** Tries again with growing delays until connected (or closed). */
  private reconnect(): void {
    if (this.reconnecting) return;
    this.reconnecting = true;
    void (async () => {
      for (let attempt = 0; !this.closing; attempt++) {
        const delay = Math.min(MAX_RECONNECT_DELAY_MS, 250 * 2 ** attempt);
        await new Promise((resolve) => setTimeout(resolve, delay * (0.75 + Math.random() / 2)));
        if (this.closing) break;
        try {
          await this.connect();
          this.options.logger.info('RabbitMQ connection restored');
          this.options.onReconnect?.();
          break;
        } catch (err) {
          this.options.logger.warn({ err, attempt }, 'RabbitMQ still unreachable');
        }
      }
      this.reconnecting = false;
    })();
  }

  private async startConsumer(): Promise<void> {
    const consumer = this.consumer!;
    const channel = await this.connection!.createConfirmChannel();
    channel.on('error', (err: Error) =>
      this.options.logger.warn({ err }, 'RabbitMQ channel error'),
    );
    await channel.prefetch(consumer.concurrency);
    this.subscriber = channel;
    await channel.consume(
      this.names.workQueue,
      (message) => {
        if (!message) return; // the broker cancelled the consumer; reconnection starts it again
        const run = this.runJob(channel, consumer.handler, message).finally(() =>
          this.running.delete(run),
        );
        this.running.add(run);
      },
      { noAck: false },
    );
  }

  private async runJob(
    channel: ConfirmChannel,
    handler: JobHandler,
    message: ConsumeMessage,
  ): Promise<void> {
    const attempt = Number(message.properties.headers?.['x-attempt'] ?? 1) || 1;
    let job: TransferJob;
    try {
      job = TransferJob.parse(JSON.parse(message.content.toString()));
    } catch (err) {
      this.options.logger.error({ err }, 'malformed transfer job dead-lettered');
      channel.nack(message, false, false); // the work queue's dead-letter exchange takes it
      return;
    }
    const log = jobLogger(this.options.logger, job, attempt);
    try {
      await runLogged(handler, job, log);
      channel.ack(message);
      return;
    } catch (err) {
      const delay = retryDelay(attempt, this.options.retryDelaysMs);
      log.warn({ err, retryInMs: delay }, 'transfer job failed');
      await this.retryLater(channel, message, attempt, delay, job).catch((retryErr: unknown) =>
        // The channel is gone: the broker redelivers the unacknowledged job; it is idempotent.
        log.warn({ err: retryErr }, 'could not schedule the retry'),
      );
    }
  }

  /** Parks the job in the retry queue of `delay` (or the dead-letter queue), then acks it. */
  private async retryLater(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    attempt: number,
    delay: number | undefined,
    job: TransferJob,
  ): Promise<void> {
    if (delay === undefined) {
      await confirmedPublish(channel, this.names.deadExchange, '', message.content, attempt);
      countDeadJob(job.action);
    } else
      await confirmedPublish(
        channel,
        '',
        this.names.retryQueue(delay),
        message.content,
        attempt + 1,
      );
    channel.ack(message);
  }
}
