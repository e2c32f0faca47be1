import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Sha1Reply, Sha1Request } from './sha1-protocol.ts';
import { MAX_QUEUED, type Sha1Port, startSha1Worker } from './sha1-worker-client.ts';

/** A stand-in for sha1-worker.ts: hashes with node:crypto, answers when `release()` is called. */
function fakeWorker() {
  const sha1 = createHash('sha1');
  const held: (() => void)[] = [];
  const transferred: Transferable[][] = [];
  const port: Sha1Port = {
    onmessage: null,
    onerror: null,
    postMessage(message: Sha1Request, transfer: Transferable[]) {
      transferred.push(transfer);
      // A transfer detaches the sender's buffer, as postMessage does.
      const { bytes } = structuredClone(message as { bytes?: Uint8Array }, { transfer });
      const answer = (data: Sha1Reply) => port.onmessage?.({ data } as MessageEvent<Sha1Reply>);
      if (message.type === 'update') {
        held.push(() => {
          sha1.update(bytes!);
          answer({ type: 'hashed' });
        });
      } else queueMicrotask(() => answer({ type: 'digest', sha1: sha1.digest('hex') }));
    },
  };
  const release = () => held.shift()?.();
  return { port, release, transferred, held };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SHA-1 worker client', () => {
  it('transfers each chunk, hashes them in order and gives the digest', async () => {
    const worker = fakeWorker();
    const sink = startSha1Worker(() => worker.port);
    const chunks = [randomBytes(1000), randomBytes(7), randomBytes(4096)].map(
      (b) => new Uint8Array(b),
    );
    const expected = createHash('sha1');
    for (const chunk of chunks) {
      expected.update(chunk);
      const pushed = sink.push(chunk);
      worker.release();
      await pushed;
      expect(chunk.byteLength).toBe(0); // detached: the buffer went to the worker, not a copy
    }
    expect(await sink.digest()).toBe(expected.digest('hex'));
    expect(worker.transferred.slice(0, 3).every((list) => list.length === 1)).toBe(true);
  });

  it(`holds the reader once ${MAX_QUEUED} chunks wait to be hashed`, async () => {
    const worker = fakeWorker();
    const sink = startSha1Worker(() => worker.port);
    let resolved = 0;
    const pushes = Array.from({ length: MAX_QUEUED + 1 }, () => new Uint8Array(10));
    const first = sink.push(pushes[0]!).then(() => resolved++);
    await tick();
    expect(resolved).toBe(1); // one queued: more may come
    const second = sink.push(pushes[1]!).then(() => resolved++);
    await tick();
    expect(resolved).toBe(1); // two queued: the reader waits
    worker.release();
    await Promise.all([first, second]);
    expect(resolved).toBe(2);
  });

  it('fails the waiting push and the digest when the worker reports an error', async () => {
    const worker = fakeWorker();
    const sink = startSha1Worker(() => worker.port);
    await sink.push(new Uint8Array(1));
    const waiting = sink.push(new Uint8Array(1));
    worker.port.onmessage?.({
      data: { type: 'error', code: 'wasm_unavailable', message: 'no wasm' },
    } as MessageEvent<Sha1Reply>);
    await expect(waiting).rejects.toMatchObject({ code: 'wasm_unavailable' });
    await expect(sink.digest()).rejects.toMatchObject({ code: 'wasm_unavailable' });
    await expect(sink.push(new Uint8Array(1))).rejects.toMatchObject({ code: 'wasm_unavailable' });
  });

  it('fails when the worker itself fails', async () => {
    const worker = fakeWorker();
    const sink = startSha1Worker(() => worker.port);
    const digest = sink.digest().catch((err: unknown) => err);
    worker.port.onerror?.({ message: 'crashed' } as ErrorEvent);
    expect(await digest).toMatchObject({ code: 'worker_failed' });
  });
});
