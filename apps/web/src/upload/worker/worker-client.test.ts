import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { HashError } from '../hashing/hash-error.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';
import { startFileWorker, type WorkerPort } from './worker-client.ts';

/** A worker that records requests and answers only when the test says so. */
function scriptedWorker() {
  const requests: WorkerRequest[] = [];
  let terminated = false;
  const port: WorkerPort = {
    onmessage: null,
    onerror: null,
    postMessage: (request) => void requests.push(request),
    terminate: () => void (terminated = true),
  };
  const reply = (data: WorkerReply) => port.onmessage?.({ data } as MessageEvent<WorkerReply>);
  return { port, requests, reply, terminated: () => terminated };
}

const layout = { size: 10, chunkSize: 10, chunkCount: 1 };

describe('startFileWorker', () => {
  it('opens the worker on the file, and resolves a send when the worker says it was sent', async () => {
    const w = scriptedWorker();
    const file = new Blob(['0123456789']);
    const fw = startFileWorker(file, layout, {
      held: [],
      readAhead: 2,
      createWorker: () => w.port,
    });
    expect(w.requests[0]).toEqual({ type: 'open', file, layout, held: [], readAhead: 2 });
    const progress: number[] = [];
    const signal = new AbortController().signal;
    const sending = fw.send('u1', 0, 4, { signal, onProgress: (n) => progress.push(n) });
    expect(w.requests[1]).toEqual({ type: 'send', id: 1, uploadId: 'u1', index: 0, offset: 4 });
    w.reply({ type: 'progress', id: 1, sent: 3 });
    w.reply({ type: 'sent', id: 1 });
    await sending;
    expect(progress).toEqual([3]);
    w.reply({ type: 'sha1', sha1: 'abc' });
    expect(await fw.sha1).toBe('abc');
  });

  it('an aborted send settles only once the worker says its request is over', async () => {
    const w = scriptedWorker();
    const fw = startFileWorker(new Blob(['x']), layout, {
      held: [],
      readAhead: 2,
      createWorker: () => w.port,
    });
    const controller = new AbortController();
    let settled = false;
    const sending = fw.send('u1', 0, 0, { signal: controller.signal, onProgress: () => {} });
    void sending.catch(() => (settled = true));
    controller.abort(new Error('paused'));
    expect(w.requests.at(-1)).toEqual({ type: 'abort', id: 1 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false); // the request may still be on the wire
    w.reply({ type: 'aborted', id: 1 });
    await expect(sending).rejects.toThrow('paused');
  });

  it('turns wire errors into ApiError (with the offset) or HashError', async () => {
    const w = scriptedWorker();
    const fw = startFileWorker(new Blob(['x']), layout, {
      held: [],
      readAhead: 2,
      createWorker: () => w.port,
    });
    const signal = new AbortController().signal;
    const first = fw.send('u1', 0, 0, { signal, onProgress: () => {} });
    w.reply({
      type: 'failed',
      id: 1,
      error: { status: 409, code: 'offset_mismatch', message: 'm', offset: 7 },
    });
    await expect(first).rejects.toEqual(expect.any(ApiError));
    await expect(first).rejects.toMatchObject({ status: 409, offset: 7 });
    const second = fw.send('u1', 0, 0, { signal, onProgress: () => {} });
    w.reply({ type: 'error', code: 'read_failed', message: 'gone' });
    await expect(second).rejects.toEqual(expect.any(HashError));
    await expect(fw.sha1).rejects.toMatchObject({ code: 'read_failed' });
    fw.close();
    expect(w.terminated()).toBe(true);
  });
});
