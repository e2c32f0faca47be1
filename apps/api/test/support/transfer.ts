// What the transfer tests share: the real RabbitMQ on 127.0.0.1:5672 under a namespace of their
// own (removed afterwards), s3rver as the target store, and a store wrapper the tests can hold on a
// gate or make refuse writes.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { pipeline, Transform, type Readable } from 'node:stream';
import amqp from 'amqplib';
import { expect, vi } from 'vitest';
import type { ByteRange, ObjectInfo, SignedUrlOptions } from '../../src/storage/object-store.ts';
import type { RemoteStore } from '../../src/storage/remote-store.ts';
import { S3ObjectStore } from '../../src/storage/s3-object-store.ts';
import { topologyNames } from '../../src/queue/amqp-topology.ts';
import type { Client } from './client.ts';
import { S3RVER_CREDENTIALS, type RunningS3rver } from './s3rver.ts';
import type { TestServer } from './server.ts';

export const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Short retry delays, so a refused store reaches the dead-letter queue within a second. */
export const TEST_RETRY_DELAYS = [100, 200, 300];

export function newNamespace(): string {
  return `fs-it-${randomBytes(4).toString('hex')}`;
}

export function amqpEnv(namespace: string): Record<string, string> {
  return {
    AMQP_URL,
    AMQP_NAMESPACE: namespace,
    TRANSFER_RETRY_DELAYS: TEST_RETRY_DELAYS.map((delay) => `${delay}ms`).join(','),
  };
}

export function s3Env(s3: RunningS3rver): Record<string, string> {
  return {
    STORAGE: 's3',
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
  };
}

export const s3StoreOf = (s3: RunningS3rver) =>
  new S3ObjectStore({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    bucket: s3.bucket,
    forcePathStyle: true,
    ...S3RVER_CREDENTIALS,
  });

/** Messages waiting in a queue, and its consumers. */
export async function queueState(
  queue: string,
): Promise<{ messageCount: number; consumerCount: number }> {
  const connection = await amqp.connect(AMQP_URL);
  try {
    const channel = await connection.createChannel();
    return await channel.checkQueue(queue);
  } finally {
    await connection.close();
  }
}

/** The type (classic, quorum) of every queue of the namespace, from `rabbitmqctl list_queues`. */
export function queueTypes(namespace: string): Map<string, string> {
  const out = execFileSync('rabbitmqctl', [
    'list_queues',
    '-q',
    'name',
    'type',
    '--formatter',
    'json',
  ]);
  const queues = JSON.parse(out.toString()) as { name: string; type: string }[];
  return new Map(
    queues
      .filter((queue) => queue.name.startsWith(`${namespace}.`))
      .map((queue) => [queue.name, queue.type]),
  );
}

/** Deletes every exchange and queue the namespace declared. */
export async function removeNamespace(namespace: string, target: 'oss' | 's3'): Promise<void> {
  const names = topologyNames(namespace, target, TEST_RETRY_DELAYS);
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createChannel();
  for (const queue of [
    names.workQueue,
    names.deadQueue,
    ...TEST_RETRY_DELAYS.map(names.retryQueue),
  ])
    await channel.deleteQueue(queue);
  await channel.deleteExchange(names.exchange);
  await channel.deleteExchange(names.deadExchange);
  await connection.close();
}

/** `rabbitmqctl stop_app` / `start_app`: the broker goes away and comes back. */
export function rabbitmq(command: 'stop_app' | 'start_app'): void {
  execFileSync('rabbitmqctl', [command], { stdio: 'ignore' });
  if (command === 'start_app') execFileSync('rabbitmqctl', ['await_startup'], { stdio: 'ignore' });
}

/** A store the test controls: puts can wait on a gate, or be refused. */
export class ControlledStore implements RemoteStore {
  readonly driver: 'oss' | 's3';
  readonly partSize: number;
  puts = 0;
  refusing = false;
  /** Stores other bytes of the same length (a store or network that corrupts data). */
  corrupting = false;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  private entered: (() => void) | undefined;

  constructor(private readonly inner: RemoteStore) {
    this.driver = inner.driver;
    this.partSize = inner.partSize;
  }

  /** Puts wait until release(); resolves when the first one is waiting. */
  hold(): Promise<void> {
    this.gate = new Promise((resolve) => (this.open = resolve));
    return new Promise((resolve) => (this.entered = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  async put(key: string, body: Readable, size: number): Promise<void> {
    this.puts += 1;
    if (this.refusing) {
      body.destroy();
      throw new Error('the store refuses writes (test)');
    }
    if (this.gate) {
      this.entered?.();
      await this.gate;
    }
    const flipped = (chunk: Buffer) => Buffer.from(chunk.map((byte) => byte ^ 0xff));
    const stored = this.corrupting
      ? pipeline(
          body,
          new Transform({ transform: (chunk, _e, done) => done(null, flipped(chunk)) }),
          () => undefined,
        )
      : body;
    return this.inner.put(key, stored, size);
  }

  get(key: string, range?: ByteRange): Promise<Readable> {
    return this.inner.get(key, range);
  }

  head(key: string): Promise<ObjectInfo | undefined> {
    return this.inner.head(key);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }

  signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
    return this.inner.signedUrl(key, options);
  }

  check(): Promise<void> {
    return this.inner.check();
  }
}

export interface ContentRow {
  state: string;
  driver: string;
  location: string;
  ref_count: number;
  queued_at: string | null;
}

export const contentRow = async (server: TestServer, sha1: string) =>
  (
    await server.query<ContentRow>(
      `SELECT state, driver, location, ref_count, queued_at FROM file_${sha1.slice(-2)} WHERE sha1 = ?`,
      [sha1],
    )
  )[0];

export const waitFor = (check: () => Promise<void>, timeout = 30_000) =>
  vi.waitFor(check, { timeout, interval: 50 });

export async function download(client: Client, fileId: string, range?: string): Promise<Download> {
  const res = await client.raw('GET', `/api/files/${fileId}/content`, {
    headers: range ? { range } : {},
  });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}
export interface Download {
  status: number;
  bytes: Buffer;
}

/** The worker deletes the staged copy just after marking the row stored: wait for it. */
export const waitForStagedCopyGone = (server: TestServer) =>
  waitFor(async () => expect(await server.blobCount()).toBe(0));

/** Waits until the content's row is in `state` (undefined: the row is gone). */
export const waitForState = (server: TestServer, sha1: string, state: string | undefined) =>
  waitFor(async () => expect((await contentRow(server, sha1))?.state).toBe(state));
