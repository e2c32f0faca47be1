// Issue 11: the running SHA-1 "with its state saved so a restart or another API process … continues
// where it stopped". The engine (content/running-sha1.ts): OpenSSL's SHA-1 with a state saved and
// loaded between pieces, and states saved by hash-wasm (uploads begun before this engine) continued.
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createSHA1 } from 'hash-wasm';
import { expect, it } from 'vitest';
import { ResumableSha1 } from '@filestore/resumable-sha1';
import { runningSha1 } from '../src/content/running-sha1.ts';

const bytes = randomBytes(3 * 1024 * 1024 + 123);
const sha1Hex = (data: Uint8Array) => createHash('sha1').update(data).digest('hex');

/** Hashes `data` cut at `cuts`, saving and loading the state at every cut. */
async function hashThroughSaves(data: Buffer, cuts: number[]) {
  let saved: Buffer | null = null;
  let from = 0;
  for (const cut of [...cuts, data.length]) {
    const sha1 = await runningSha1(saved);
    sha1.update(data.subarray(from, cut));
    saved = Buffer.from(sha1.save());
    from = cut;
  }
  return (await runningSha1(saved)).digestHex();
}

it('gives the SHA-1 of the bytes whatever the pieces and wherever the state is saved', async () => {
  expect((await runningSha1(null)).digestHex()).toBe(sha1Hex(Buffer.alloc(0)));
  expect(await hashThroughSaves(bytes, [])).toBe(sha1Hex(bytes));
  // Cuts inside a 64-byte block, on block ends, at 0 and at 1: the saved state holds a partial block.
  const cuts = [0, 1, 63, 64, 65, 1000, 8191, 65536, 1024 * 1024 + 7, 3 * 1024 * 1024];
  expect(await hashThroughSaves(bytes, cuts)).toBe(sha1Hex(bytes));
  const random = Array.from({ length: 20 }, () => Math.floor(Math.random() * bytes.length));
  expect(
    await hashThroughSaves(
      bytes,
      random.sort((a, b) => a - b),
    ),
  ).toBe(sha1Hex(bytes));
});

it('lets the digest be read mid-way and the hasher go on', async () => {
  const sha1 = await runningSha1(null);
  sha1.update(bytes.subarray(0, 1000));
  expect(sha1.digestHex()).toBe(sha1Hex(bytes.subarray(0, 1000)));
  sha1.update(bytes.subarray(1000));
  expect(sha1.digestHex()).toBe(sha1Hex(bytes));
});

it('continues a state another process saved', async () => {
  const first = await runningSha1(null);
  first.update(bytes.subarray(0, 777_777));
  const script = `
    import { ResumableSha1 } from '@filestore/resumable-sha1';
    const saved = Buffer.from(process.argv[1], 'base64');
    process.stdout.write(Buffer.from(ResumableSha1.load(saved).save()).toString('base64'));`;
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', script, Buffer.from(first.save()).toString('base64')],
    { encoding: 'utf8' },
  );
  expect(child.stderr).toBe('');
  const second = await runningSha1(Buffer.from(child.stdout, 'base64'));
  second.update(bytes.subarray(777_777));
  expect(second.digestHex()).toBe(sha1Hex(bytes));
});

it('continues an upload whose state hash-wasm saved before the engine changed', async () => {
  const old = await createSHA1();
  old.init();
  old.update(bytes.subarray(0, 2 * 1024 * 1024));
  const sha1 = await runningSha1(Buffer.from(old.save()));
  sha1.update(bytes.subarray(2 * 1024 * 1024, 2_500_000));
  const again = await runningSha1(Buffer.from(sha1.save())); // still hash-wasm's format
  again.update(bytes.subarray(2_500_000));
  expect(again.digestHex()).toBe(sha1Hex(bytes));
});

it('refuses a state it cannot continue instead of hashing from a wrong one', async () => {
  const good = Buffer.from((await runningSha1(null)).save());
  const corrupt = Buffer.from(good);
  corrupt.writeUInt32LE(64, corrupt.length - 4); // SHA_CTX.num past its 64-byte block
  await expect(runningSha1(corrupt)).rejects.toThrow(/corrupt SHA-1 state/);
  await expect(runningSha1(good.subarray(0, 50))).rejects.toThrow();
  await expect(runningSha1(randomBytes(40))).rejects.toThrow();
  // Bytes that are not a Uint8Array are a TypeError from the addon, not a crash.
  expect(() => new ResumableSha1().update('text' as never)).toThrow(TypeError);
  expect(() => new ResumableSha1().update(new Uint16Array(4) as never)).toThrow(TypeError);
});
