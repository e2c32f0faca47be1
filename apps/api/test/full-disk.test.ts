// Issue 10, item 9: a full disk and broken storage give clear answers. DATA_DIR is a tmpfs of its
// own, filled to the last byte for real (ENOSPC), and emptied again.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { Client, expectError, newUser, sha1Of } from './support/client.ts';
import { spawnApiUntilExit } from './support/process.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { mountTmpfs, type Tmpfs } from './support/tmpfs.ts';

const CHUNK = 256 * 1024;
let tmpfs: Tmpfs;
let server: TestServer;

beforeAll(async () => {
  tmpfs = await mountTmpfs(48 * 1024 * 1024);
  server = await startTestServer({
    DATA_DIR: path.join(tmpfs.dir, 'data'),
    CHUNK_SIZE: String(CHUNK),
    MIN_FREE_DISK_BYTES: '8MB',
  });
});
afterAll(async () => {
  try {
    await server?.stop();
  } finally {
    await tmpfs?.unmount();
  }
});

/** Runs `check` on a disk full to the last byte, then frees it again. */
async function onFullDisk(check: () => Promise<void>): Promise<void> {
  await tmpfs.fill();
  try {
    await check();
  } finally {
    await tmpfs.unfill();
  }
}

describe('a full disk', () => {
  it('a chunk PUT answers 507 insufficient_storage and keeps no temp chunk; it works again once there is room', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(2 * CHUNK);
    const { uploadId } = (
      await user.call('POST', '/api/uploads', {
        name: 'a.bin',
        size: bytes.length,
        sha1: sha1Of(bytes),
      })
    ).body;
    const chunk = (index: number) => bytes.subarray(index * CHUNK, (index + 1) * CHUNK);
    await onFullDisk(async () => {
      expectError(await user.putChunk(uploadId, 0, chunk(0)), 507, 'insufficient_storage');
      expect(await server.chunkFiles(uploadId)).toEqual([]);
      expect((await user.call('GET', `/api/uploads/${uploadId}`)).body.uploaded).toEqual([]);
    });
    for (const index of [0, 1])
      expect((await user.putChunk(uploadId, index, chunk(index))).status).toBe(204);
    expect((await user.call('POST', `/api/uploads/${uploadId}/complete`)).status).toBe(201);
  });

  it('a form upload answers 507 at once and leaves no .part and no file; it works again once there is room', async () => {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(2 * 1024 * 1024);
    const form = new FormData();
    form.append('file', new Blob([bytes]), 'big.bin');
    await onFullDisk(async () => {
      // It used to hang forever: the parser waited for a file stream the failed write had dropped.
      const res = await user.raw('POST', '/api/files', {
        body: form,
        signal: AbortSignal.timeout(10_000),
      });
      expectError(
        { status: res.status, body: await res.json(), headers: res.headers },
        507,
        'insufficient_storage',
      );
      expect(await server.stagedFiles()).toEqual([]);
      expect((await user.call('GET', '/api/files')).body.items).toEqual([]);
    });
    const uploaded = await user.upload('big.bin', bytes);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.file).toMatchObject({ size: bytes.length, sha1: sha1Of(bytes) });
  });

  it('/readyz answers 503 while DATA_DIR has less than MIN_FREE_DISK_BYTES free', async () => {
    const client = new Client(server.baseUrl);
    expect((await client.call('GET', '/readyz')).body).toEqual({ status: 'ready' });
    await onFullDisk(async () => {
      const res = await client.call('GET', '/readyz');
      expectError(res, 503, 'service_unavailable');
      expect(res.body.error.message).toMatch(/MIN_FREE_DISK_BYTES/);
    });
    expect((await client.call('GET', '/readyz')).status).toBe(200);
  });
});

describe('DATA_DIR at start-up', () => {
  let scratch: string;
  let readOnly: Tmpfs;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'filestore-datadir-'));
    readOnly = await mountTmpfs(1024 * 1024, { readOnly: true });
  });
  afterAll(async () => {
    await readOnly?.unmount();
    await rm(scratch, { recursive: true, force: true });
  });

  async function expectOneLineNamingDataDir(dataDir: string) {
    const { code, stderr } = await spawnApiUntilExit({ DATA_DIR: dataDir });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^filestore: cannot start: DATA_DIR: .+ is not a writable directory/);
    expect(lines[0]).toContain(dataDir);
  }

  it('a missing DATA_DIR (its parent missing too) is one line naming the variable', async () => {
    await expectOneLineNamingDataDir(path.join(scratch, 'no', 'such', 'dir'));
  });

  it('a read-only DATA_DIR is one line naming the variable', async () => {
    await expectOneLineNamingDataDir(readOnly.dir);
  });

  it('a DATA_DIR that is a file is one line naming the variable', async () => {
    const file = path.join(scratch, 'a-file');
    await writeFile(file, 'not a directory');
    await expectOneLineNamingDataDir(file);
  });
});

describe('MIN_FREE_DISK_BYTES', () => {
  it('defaults to 1 GiB, takes sizes with units and 0 (no check)', () => {
    expect(loadConfig({}).minFreeDiskBytes).toBe(1024 ** 3);
    expect(loadConfig({ MIN_FREE_DISK_BYTES: '512MB' }).minFreeDiskBytes).toBe(512 * 1024 ** 2);
    expect(loadConfig({ MIN_FREE_DISK_BYTES: '0' }).minFreeDiskBytes).toBe(0);
  });

  it.each(['lots', '-1', 'ten GB'])('a wrong value names the variable: %s', (value) => {
    expect(() => loadConfig({ MIN_FREE_DISK_BYTES: value })).toThrow(ConfigError);
    expect(() => loadConfig({ MIN_FREE_DISK_BYTES: value })).toThrow(/^MIN_FREE_DISK_BYTES: /);
  });
});
