// Issue 4 with the embedded in-process queue (no AMQP_URL): transfer to the OSS-protocol test server
// (signatures checked), a restart with jobs pending, DOWNLOAD_MODE=redirect, and start-up checks.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { StartupError } from '../../src/services.ts';
import { start } from '../../src/start.ts';
import { objectKeyFor } from '../../src/storage/object-store.ts';
import { OssObjectStore } from '../../src/storage/oss-object-store.ts';
import { newUser, sha1Of } from '../support/client.ts';
import { deleteForever } from '../support/trash.ts';
import { startOssTestServer, type OssTestServer } from '../support/oss-test-server.ts';
import { localhostAgent } from '../support/oss/localhost.ts';
import { startS3rver, type RunningS3rver } from '../support/s3rver.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import {
  contentRow,
  ControlledStore,
  download,
  s3Env,
  s3StoreOf,
  waitFor,
  waitForStagedCopyGone,
  waitForState,
} from '../support/transfer.ts';

const bucket = 'filestore-oss';
const credentials = { id: 'LTAI-transfer', secret: 'transfer-secret' };

describe('transfer to OSS through the in-process queue', () => {
  let oss: OssTestServer;
  let store: ControlledStore;
  let server: TestServer;
  const agent = localhostAgent();
  const ossStore = () =>
    new OssObjectStore({
      endpoint: oss.endpoint,
      bucket,
      accessKeyId: credentials.id,
      accessKeySecret: credentials.secret,
      partSize: 256 * 1024,
      agent,
    });

  beforeAll(async () => {
    oss = await startOssTestServer({
      buckets: [bucket],
      credentials: { [credentials.id]: { accessKeySecret: credentials.secret } },
    });
    store = new ControlledStore(ossStore());
    server = await startTestServer({ TRANSFER_RETRY_DELAYS: '50ms' }, { remote: store });
  });
  afterAll(async () => {
    await server?.stop();
    agent.destroy();
    await oss?.close();
  });

  it('moves an upload to the bucket in parts; downloads and instant proofs read from wherever the bytes are', async () => {
    const alice = await newUser(server.baseUrl);
    const bytes = randomBytes(1024 * 1024 + 17); // 5 parts of 256 KiB
    const sha1 = sha1Of(bytes);
    const held = store.hold();
    const uploaded = await alice.upload('photo.jpg', bytes);
    expect(uploaded.status).toBe(201);
    await held;
    const id = uploaded.body.file.id;
    const during = await download(alice, id, 'bytes=0-9');
    expect(during.bytes.equals(bytes.subarray(0, 10))).toBe(true);
    store.release();
    await waitForState(server, sha1, 'stored');
    expect(await contentRow(server, sha1)).toMatchObject({
      driver: 'oss',
      location: objectKeyFor(sha1),
    });
    await waitForStagedCopyGone(server);
    expect(oss.uploadsInProgress()).toBe(0);
    expect((await ossStore().head(objectKeyFor(sha1)))?.size).toBe(bytes.length);
    const after = await download(alice, id, 'bytes=500000-500099');
    expect(after.status).toBe(206);
    expect(after.bytes.equals(bytes.subarray(500_000, 500_100))).toBe(true);

    const bob = await newUser(server.baseUrl);
    const proved = await bob.instantUpload('copy.jpg', bytes);
    expect(proved.status).toBe(201);

    expect((await deleteForever(alice, id)).status).toBe(204);
    expect((await deleteForever(bob, proved.body.file.id)).status).toBe(204);
    await waitForState(server, sha1, undefined);
    expect(await ossStore().head(objectKeyFor(sha1))).toBeUndefined();
  });

  it('jobs of the in-process queue survive a restart: pending rows are published again at start', async () => {
    const alice = await newUser(server.baseUrl);
    const bytes = randomBytes(50_000);
    const sha1 = sha1Of(bytes);
    store.refusing = true;
    try {
      expect((await alice.upload('later.txt', bytes)).status).toBe(201);
      // One attempt and one retry (TRANSFER_RETRY_DELAYS=50ms), then dead: in memory only.
      await waitFor(async () => expect(store.puts).toBeGreaterThanOrEqual(2));
      expect((await contentRow(server, sha1))?.state).toBe('staged');
    } finally {
      store.refusing = false;
    }
    await server.restart();
    await waitForState(server, sha1, 'stored');
    expect((await ossStore().head(objectKeyFor(sha1)))?.size).toBe(bytes.length);
  });
});

describe('DOWNLOAD_MODE=redirect (s3rver)', () => {
  let s3: RunningS3rver;
  let server: TestServer;
  beforeAll(async () => {
    s3 = await startS3rver('filestore-redirect');
    server = await startTestServer({ ...s3Env(s3), DOWNLOAD_MODE: 'redirect' });
  });
  afterAll(async () => {
    await server?.stop();
    await s3?.stop();
  });

  it('a stored file answers 302 to a short-lived signed URL that carries the download name', async () => {
    const alice = await newUser(server.baseUrl);
    const bytes = randomBytes(70_000);
    const uploaded = await alice.upload('报告 final.pdf', bytes);
    await waitForState(server, sha1Of(bytes), 'stored');
    const res = await alice.raw('GET', `/api/files/${uploaded.body.file.id}/content`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(s3.endpoint);
    expect(Number(location.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    const direct = await fetch(location);
    expect(Buffer.from(await direct.arrayBuffer()).equals(bytes)).toBe(true);
    expect(direct.headers.get('content-disposition')).toContain(
      encodeURIComponent('报告 final.pdf'),
    );
    // Another user's id is still 404, never a redirect.
    const bob = await newUser(server.baseUrl);
    expect((await bob.raw('GET', `/api/files/${uploaded.body.file.id}/content`)).status).toBe(404);
  });

  it('a file still staged is served by the API itself', async () => {
    const store = new ControlledStore(s3StoreOf(s3));
    const held = store.hold();
    await server.restart({ remote: store });
    const alice = await newUser(server.baseUrl);
    const bytes = randomBytes(10_000);
    const uploaded = await alice.upload('staged.bin', bytes);
    await held;
    const res = await download(alice, uploaded.body.file.id);
    expect(res.status).toBe(200);
    expect(res.bytes.equals(bytes)).toBe(true);
    store.release();
    await waitForState(server, sha1Of(bytes), 'stored');
  });
});

describe('start-up with a store that cannot be used', () => {
  let s3: RunningS3rver;
  beforeAll(async () => {
    s3 = await startS3rver('filestore-exists');
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it('a missing bucket stops start-up with one line naming it', async () => {
    const config = loadConfig({
      ...s3Env(s3),
      S3_BUCKET: 'no-such-bucket',
      DATA_DIR: '/nonexistent/never-created',
    });
    const starting = start(config);
    await expect(starting).rejects.toBeInstanceOf(StartupError);
    await expect(starting).rejects.toThrow(
      /^STORAGE=s3: S3 bucket "no-such-bucket" .* does not exist$/,
    );
  });

  it('wrong OSS credentials stop start-up naming the variable', async () => {
    const oss = await startOssTestServer({
      buckets: [bucket],
      credentials: { known: { accessKeySecret: 'right' } },
    });
    const agent = localhostAgent();
    try {
      const wrong = new OssObjectStore({
        endpoint: oss.endpoint,
        bucket,
        accessKeyId: 'known',
        accessKeySecret: 'wrong',
        agent,
      });
      const starting = start(loadConfig({ DATA_DIR: '/nonexistent/never-created' }), {
        remote: wrong,
      });
      await expect(starting).rejects.toThrow(/^STORAGE=oss: .*OSS_ACCESS_KEY_SECRET/);
    } finally {
      agent.destroy();
      await oss.close();
    }
  });

  it('a storage driver without its settings is a configuration error naming the variable', () => {
    expect(() => loadConfig({ STORAGE: 's3', S3_ACCESS_KEY_ID: 'k' })).toThrow(
      'S3_BUCKET: required when STORAGE=s3',
    );
    expect(() => loadConfig({ STORAGE: 'oss', OSS_BUCKET: 'b' })).toThrow(/^OSS_REGION/);
    expect(() => loadConfig({ STORAGE: 'gcs' })).toThrow(/^STORAGE/);
    expect(() => loadConfig({ AMQP_URL: 'http://broker' })).toThrow(/^AMQP_URL/);
    expect(() => loadConfig({ TRANSFER_RETRY_DELAYS: '5s,soon' })).toThrow(
      /^TRANSFER_RETRY_DELAYS/,
    );
    expect(() => loadConfig({ DOWNLOAD_MODE: 'teleport' })).toThrow(/^DOWNLOAD_MODE/);
    expect(() => loadConfig({ SERVICES: 'files,coffee' })).toThrow(/^SERVICES/);
  });
});
