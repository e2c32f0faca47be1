import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore, type S3ObjectStoreOptions } from '../../src/storage/s3-object-store.ts';
import { S3RVER_CREDENTIALS, startS3rver, type RunningS3rver } from '../support/s3rver.ts';
import { runObjectStoreContract } from './object-store-contract.ts';

// S3's minimum part size; the contract stores an object over twice this, so three parts.
const PART_SIZE = 5 * 1024 * 1024;

let s3rver: RunningS3rver;
beforeAll(async () => {
  s3rver = await startS3rver();
});
afterAll(() => s3rver?.stop());

const makeStore = (overrides: Partial<S3ObjectStoreOptions> = {}) =>
  new S3ObjectStore({
    endpoint: s3rver.endpoint,
    region: 'us-east-1',
    bucket: s3rver.bucket,
    ...S3RVER_CREDENTIALS,
    forcePathStyle: true,
    partSize: PART_SIZE,
    ...overrides,
  });

// s3rver honours response-content-disposition on presigned GETs, so the contract checks the
// header on the real response.
runObjectStoreContract('s3', () => makeStore(), {
  multipartThreshold: PART_SIZE,
  fetchSigned: (url) => fetch(url),
});

describe('S3ObjectStore.check()', () => {
  it('says so when the bucket is missing', async () => {
    await expect(makeStore({ bucket: 'no-such-bucket' }).check()).rejects.toThrow(
      /S3 bucket "no-such-bucket" at http:\/\/127\.0\.0\.1:\d+ does not exist/,
    );
  });

  // s3rver rejects an unknown access key ID but does not verify SigV4 signatures, so a wrong
  // secret key cannot be tested here.
  it('says so when the credentials are wrong', async () => {
    await expect(makeStore({ accessKeyId: 'WRONG' }).check()).rejects.toThrow(
      /refuses the credentials: check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/,
    );
  });
});

describe('S3ObjectStore.put()', () => {
  // A short body once made the single PutObject wait forever for the missing bytes.
  it.each([
    ['in one request', 1000],
    ['in parts', PART_SIZE * 2],
  ])('rejects a body shorter than its size %s, and stores nothing', async (_, size) => {
    const store = makeStore();
    const key = `short-${size}`;
    await expect(store.put(key, Readable.from([Buffer.alloc(size - 1)]), size)).rejects.toThrow(
      `received ${size - 1} bytes, expected ${size}`,
    );
    expect(await store.head(key)).toBeUndefined();
  });
});
