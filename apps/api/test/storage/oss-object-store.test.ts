import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { objectKeyFor } from '../../src/storage/object-store.ts';
import { OssObjectStore, type OssObjectStoreOptions } from '../../src/storage/oss-object-store.ts';
import { startOssTestServer, type OssTestServer } from '../support/oss-test-server.ts';
import { fetchThrough, localhostAgent } from '../support/oss/localhost.ts';
import { runObjectStoreContract } from './object-store-contract.ts';

const PART_SIZE = 256 * 1024;
const bucket = 'filestore-test';
const key = { id: 'LTAI-test-key', secret: 'test-secret' };
const sts = { id: 'STS.test-key', secret: 'sts-secret', token: 'sts-token' };

let server: OssTestServer;
const agent = localhostAgent();
beforeAll(async () => {
  server = await startOssTestServer({
    buckets: [bucket],
    credentials: {
      [key.id]: { accessKeySecret: key.secret },
      [sts.id]: { accessKeySecret: sts.secret, securityToken: sts.token },
    },
  });
});
afterAll(async () => {
  agent.destroy();
  await server.close();
});

const storeWith = (options: Partial<OssObjectStoreOptions> = {}) =>
  new OssObjectStore({
    endpoint: server.endpoint,
    bucket,
    accessKeyId: key.id,
    accessKeySecret: key.secret,
    partSize: PART_SIZE,
    parallel: 3,
    agent,
    ...options,
  });
const fetchSigned = (url: string) => fetchThrough(agent, url);
const someKey = () => objectKeyFor(randomBytes(20).toString('hex'));

runObjectStoreContract('oss (OSS test server)', () => storeWith(), {
  multipartThreshold: PART_SIZE,
  fetchSigned,
});

describe('oss driver: credentials, buckets and signatures (OSS test server)', () => {
  it('a wrong secret is refused: put and head fail, check() says the secret is wrong', async () => {
    const store = storeWith({ accessKeySecret: 'not-the-secret' });
    await expect(store.put(someKey(), Readable.from([Buffer.from('x')]), 1)).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    await expect(store.head(someKey())).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    await expect(store.check()).rejects.toThrow(
      /access key secret is wrong \(OSS_ACCESS_KEY_SECRET\)/,
    );
  });

  it('an unknown access key id: check() names it', async () => {
    await expect(storeWith({ accessKeyId: 'LTAI-nobody' }).check()).rejects.toThrow(
      /rejects the access key id "LTAI-nobody"/,
    );
  });

  it('a missing bucket: check() says it does not exist', async () => {
    await expect(storeWith({ bucket: 'no-such-bucket' }).check()).rejects.toThrow(
      /OSS bucket "no-such-bucket" at http:\/\/localhost:\d+ does not exist/,
    );
  });

  it('a signed URL is refused once expired, or when any signed part is changed', async () => {
    const store = storeWith();
    const objectKey = someKey();
    await store.put(objectKey, Readable.from([Buffer.from('secret bytes')]), 12);
    // Sign an hour ago, valid for a minute: expired now.
    vi.useFakeTimers({ now: Date.now() - 3600_000, toFake: ['Date'] });
    const expired = await store.signedUrl(objectKey, {
      expiresInSeconds: 60,
      downloadName: 'a.txt',
    });
    vi.useRealTimers();
    const res = await fetchSigned(expired);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');

    const url = new URL(
      await store.signedUrl(objectKey, { expiresInSeconds: 60, downloadName: 'a.txt' }),
    );
    url.searchParams.set('response-content-disposition', 'inline');
    const tampered = await fetchSigned(url.href);
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('STS credentials sign their security token; a wrong token is refused', async () => {
    const store = storeWith({
      accessKeyId: sts.id,
      accessKeySecret: sts.secret,
      stsToken: sts.token,
    });
    await store.check();
    const objectKey = someKey();
    await store.put(objectKey, Readable.from([Buffer.from('via sts')]), 7);
    expect(await store.head(objectKey)).toEqual({ size: 7 });
    const res = await fetchSigned(
      await store.signedUrl(objectKey, { expiresInSeconds: 60, downloadName: 'a' }),
    );
    expect(await res.text()).toBe('via sts');
    await expect(
      storeWith({ accessKeyId: sts.id, accessKeySecret: sts.secret, stsToken: 'stale' }).check(),
    ).rejects.toThrow(/or its STS token/);
  });

  it('a body shorter than its size fails the put and aborts the multipart upload', async () => {
    const store = storeWith();
    const objectKey = someKey();
    const body = Readable.from([randomBytes(PART_SIZE * 2)]);
    await expect(store.put(objectKey, body, PART_SIZE * 3)).rejects.toThrow(
      `received ${PART_SIZE * 2} bytes, expected ${PART_SIZE * 3}`,
    );
    expect(await store.head(objectKey)).toBeUndefined();
    expect(server.uploadsInProgress()).toBe(0);
  });
});

const real = {
  region: process.env.OSS_TEST_REGION,
  bucket: process.env.OSS_TEST_BUCKET ?? '',
  accessKeyId: process.env.OSS_TEST_ACCESS_KEY_ID ?? '',
  accessKeySecret: process.env.OSS_TEST_ACCESS_KEY_SECRET ?? '',
};
describe.skipIf(!real.bucket)(
  'real Aliyun OSS bucket (skipped unless OSS_TEST_REGION, OSS_TEST_BUCKET, OSS_TEST_ACCESS_KEY_ID and OSS_TEST_ACCESS_KEY_SECRET are set)',
  () => {
    runObjectStoreContract(
      'oss (Aliyun)',
      () => new OssObjectStore({ ...real, partSize: PART_SIZE }),
      {
        multipartThreshold: PART_SIZE,
        fetchSigned: (url) => fetch(url),
      },
    );
  },
);
