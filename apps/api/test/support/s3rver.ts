// An in-process s3rver on a free loopback port, for the s3 driver's tests.
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import S3rver from 's3rver';

export interface RunningS3rver {
  endpoint: string;
  bucket: string;
  stop: () => Promise<void>;
}

/** s3rver's built-in account: it checks the access key ID, but not SigV4 signatures. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** The bits of Koa's context the fix below touches (s3rver is a Koa app; Koa has no types here). */
export interface KoaContext {
  /** Node's request: its socket tells which client process sent it. */
  req: IncomingMessage;
  method: string;
  url: string;
  status: number;
  body: unknown;
  length: number;
  get(header: string): string;
  set(header: string, value: string): void;
}
type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

async function* firstByteOf(body: Readable) {
  for await (const chunk of body) {
    yield (chunk as Buffer).subarray(0, 1);
    break; // leaving the loop destroys the rest of the file stream
  }
}

/**
 * s3rver 3.7 parses `Range: bytes=0-0` with `end || Infinity` and sends the whole object;
 * S3 sends the first byte. This middleware, run before s3rver's own, cuts the answer down.
 */
const firstByteRange: KoaMiddleware = async (ctx, next) => {
  await next();
  if (ctx.method !== 'GET' || ctx.get('range') !== 'bytes=0-0' || ctx.status !== 206) return;
  const [, size] = /\/(\d+)$/.exec(ctx.get('content-range')) ?? [];
  ctx.body = Readable.from(firstByteOf(ctx.body as Readable));
  ctx.length = 1;
  ctx.set('Content-Range', `bytes 0-0/${size}`);
};

/**
 * `beforeRequest` runs before s3rver handles each request: a test can watch the calls the driver
 * makes, or slow them down.
 */
export async function startS3rver(
  bucket = 'filestore-test',
  beforeRequest?: (ctx: KoaContext) => Promise<void> | void,
  port = 0,
): Promise<RunningS3rver> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'filestore-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const middleware = (server as unknown as { middleware: KoaMiddleware[] }).middleware;
  middleware.unshift(firstByteRange);
  if (beforeRequest)
    middleware.unshift(async (ctx, next) => {
      await beforeRequest(ctx);
      await next();
    });
  const { port: listening } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${listening}`,
    bucket,
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
