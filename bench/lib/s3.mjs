// The S3 side of the transfer bench: s3rver in a child process with a fresh bucket, an SDK client
// configured as the app's `s3` driver configures its own, the direct copy that serves as the
// baseline, and the check that a bucket holds exactly the expected objects.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { startServer } from './child-server.mjs';
import { MiB } from './measure.mjs';

// The SDK warns on every process start that its 2027 releases will need Node 22; this process and
// its children (the API, the worker, s3rver) inherit the switch.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** s3rver's built-in account (it checks the key ID, not signatures). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** s3rver on a free loopback port, its files in `dir` (removed by stop()), one empty `bucket`. */
export async function startS3rver(dir, bucket) {
  await mkdir(dir, { recursive: true });
  const server = await startServer(['bench/lib/s3rver-server.mjs'], {
    S3RVER_DIR: dir,
    S3_BUCKET: bucket,
  });
  return {
    endpoint: server.url,
    bucket,
    pid: server.pid,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** As apps/api/src/storage/s3-object-store.ts builds its client for an S3-compatible store. */
export const s3Client = (endpoint) =>
  new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

/**
 * Copies each { file, key, size } from disk to the bucket with lib-storage's Upload (5 MiB parts,
 * 4 in flight, the app's settings), `concurrency` files at a time, in the order given.
 */
export async function copyFiles(client, bucket, items, concurrency) {
  const queue = [...items];
  const copier = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      await new Upload({
        client,
        params: {
          Bucket: bucket,
          Key: item.key,
          Body: createReadStream(item.file),
          ContentLength: item.size,
        },
        partSize: 5 * MiB, // the s3 driver's part size
        queueSize: 2, // the s3 driver's parts in flight per object
        leavePartsOnError: true,
      }).done();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, copier));
}

/** Throws unless the bucket holds exactly the keys of `expected` (key → size), at those sizes. */
export async function checkBucket(client, bucket, expected) {
  const held = new Map();
  let ContinuationToken;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
    for (const { Key, Size } of page.Contents ?? []) held.set(Key, Size);
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  const wrong = [...expected].filter(([key, size]) => held.get(key) !== size);
  if (held.size !== expected.size || wrong.length > 0) {
    const [key, size] = wrong[0] ?? [];
    throw new Error(
      `bucket ${bucket} holds ${held.size} objects, expected ${expected.size}` +
        (key ? `; ${key}: ${held.get(key) ?? 'missing'} bytes, expected ${size}` : ''),
    );
  }
}
