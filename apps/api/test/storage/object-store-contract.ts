// One contract every ObjectStore driver passes (like tus-node-server's shared store tests):
// local, s3 (against s3rver) and oss (against the OSS-protocol test server) all call it.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ObjectNotFound, objectKeyFor, type ObjectStore } from '../../src/storage/object-store.ts';

export interface ContractOptions {
  /** Size above which the driver uploads in parts; the suite stores an object bigger than it. */
  multipartThreshold: number;
  /** Fetches a signed URL; undefined for drivers without signed URLs (local). */
  fetchSigned?: (url: string) => Promise<Response>;
}

const sha1Of = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
const md5Of = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A stream that yields `bytes` in small pieces, as a network upload would. */
const trickle = (bytes: Buffer) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
    })(),
  );

export function runObjectStoreContract(
  name: string,
  makeStore: () => ObjectStore,
  options: ContractOptions,
): void {
  describe(`ObjectStore contract: ${name}`, () => {
    const stored = async (bytes: Buffer) => {
      const store = makeStore();
      const key = objectKeyFor(sha1Of(bytes));
      await store.put(key, trickle(bytes), bytes.length);
      return { store, key };
    };

    it('puts, heads and gets an object', async () => {
      const bytes = randomBytes(100_000);
      const { store, key } = await stored(bytes);
      const info = await store.head(key);
      expect(info?.size).toBe(bytes.length);
      // Stores with ETags report a one-piece object's MD5: the transfer worker verifies with it.
      if (info?.etag !== undefined) expect(info.etag).toBe(md5Of(bytes));
      expect((await bytesOf(await store.get(key))).equals(bytes)).toBe(true);
    });

    it('gets byte ranges', async () => {
      const bytes = randomBytes(50_000);
      const { store, key } = await stored(bytes);
      for (const [start, end] of [
        [0, 0],
        [10, 19],
        [49_990, 49_999],
        [0, 49_999],
      ] as const) {
        expect(
          (await bytesOf(await store.get(key, { start, end }))).equals(
            bytes.subarray(start, end + 1),
          ),
        ).toBe(true);
      }
    });

    it('stores a large object in parts', async () => {
      const bytes = randomBytes(options.multipartThreshold * 2 + 12_345);
      const { store, key } = await stored(bytes);
      expect((await store.head(key))?.size).toBe(bytes.length);
      expect(sha1Of(await bytesOf(await store.get(key)))).toBe(sha1Of(bytes));
    });

    it('stores an empty object', async () => {
      const { store, key } = await stored(Buffer.alloc(0));
      expect((await store.head(key))?.size).toBe(0);
      expect((await bytesOf(await store.get(key))).length).toBe(0);
    });

    it('putting the same key again replaces the object', async () => {
      const store = makeStore();
      const key = objectKeyFor(sha1Of(randomBytes(20)));
      await store.put(key, trickle(Buffer.from('first')), 5);
      await store.put(key, trickle(Buffer.from('second!')), 7);
      expect((await bytesOf(await store.get(key))).toString()).toBe('second!');
    });

    it('deletes; a missing object heads undefined, gets ObjectNotFound, deletes quietly', async () => {
      const { store, key } = await stored(randomBytes(1000));
      await store.delete(key);
      expect(await store.head(key)).toBeUndefined();
      await expect(store.get(key)).rejects.toBeInstanceOf(ObjectNotFound);
      await store.delete(key);
    });

    it('refuses a body shorter or longer than its size, storing nothing', async () => {
      const store = makeStore();
      const bytes = randomBytes(options.multipartThreshold + 1000);
      const key = objectKeyFor(sha1Of(bytes));
      await expect(store.put(key, trickle(bytes), bytes.length + 1)).rejects.toThrow();
      await expect(store.put(key, trickle(bytes), bytes.length - 1)).rejects.toThrow();
      expect(await store.head(key)).toBeUndefined();
    });

    it('check() passes for a working store', async () => {
      await expect(makeStore().check()).resolves.toBeUndefined();
    });

    const { fetchSigned } = options;
    if (fetchSigned) {
      it('signs short-lived download URLs with the download name', async () => {
        const bytes = randomBytes(3000);
        const { store, key } = await stored(bytes);
        const url = await store.signedUrl(key, {
          expiresInSeconds: 60,
          downloadName: '报告 2026.pdf',
        });
        const res = await fetchSigned(url);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-disposition')).toContain(
          "filename*=UTF-8''%E6%8A%A5%E5%91%8A%202026.pdf",
        );
        expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
      });
    } else {
      it('has no signed URLs, and says so', async () => {
        const { store, key } = await stored(randomBytes(10));
        await expect(
          store.signedUrl(key, { expiresInSeconds: 60, downloadName: 'a' }),
        ).rejects.toThrow(/no signed URLs/);
      });
    }
  });
}
