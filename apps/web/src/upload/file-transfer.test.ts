import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client.ts';
import { createChunkQueue } from './chunk-queue.ts';
import { createSlots } from './slots.ts';
import type { FlowContext } from './upload-flow.ts';
import { ETA_AFTER_BYTES, FileTransfer } from './file-transfer.ts';

// What the server holds after the pause: chunk 0 whole, 300 bytes of chunk 1.
const status = { uploaded: [0], partial: [{ index: 1, bytes: 300 }] };
vi.mock('../api/get-upload.ts', () => ({ getUpload: async () => status }));
vi.mock('../api/cancel-upload.ts', () => ({ cancelUpload: vi.fn(async () => {}) }));

const layout = { size: 3_000, chunkSize: 1_000, chunkCount: 3 };
let clock = 0;
let flow: (file: File, ctx: FlowContext) => Promise<void>;

function transfer(size = layout.size) {
  const t = new FileTransfer(
    'upload-1',
    { file: new File([new Uint8Array(size)], 'a.bin') },
    undefined,
    {
      queue: createChunkQueue(),
      fileSlots: createSlots(2),
      changed: () => {},
      landed: () => {},
      flow: (file, ctx) => flow(file, ctx),
    },
    () => clock,
  );
  t.start();
  return t;
}

/** A flow that opens the upload, sends 800 bytes of chunk 0 and 500 of chunk 1, then waits. */
const sendingFlow = async (_file: File, { emit, signal }: FlowContext) => {
  emit({ type: 'opened', uploadId: 'up1', layout, held: [0, 0, 0] });
  emit({ type: 'chunk', index: 0, state: 'sending', held: 800 });
  emit({ type: 'chunk', index: 1, state: 'sending', held: 500 });
  await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  clock = 0;
});

describe('FileTransfer', () => {
  it('shows what the flow emits while sending: bytes in flight, chunk by chunk', async () => {
    flow = sendingFlow;
    const t = transfer();
    await settle();
    const snap = t.snapshot();
    expect(snap.state).toMatchObject({ status: 'uploading', bytesDone: 1_300 });
    expect(snap.uploadId).toBe('up1');
    expect(snap.chunks).toEqual({
      states: ['sending', 'sending', 'waiting'],
      progress: { 0: 0.8, 1: 0.5 },
    });
  });

  it('after a pause, shows what the server holds — partial chunks included — and resumes from there', async () => {
    flow = sendingFlow;
    const t = transfer();
    await settle();
    t.pause();
    await t.settled();
    expect(t.snapshot().state).toEqual({ status: 'paused', bytesDone: 1_300 });
    expect(t.snapshot().chunks!.states).toEqual(['done', 'waiting', 'waiting']);

    const resumedWith: (string | undefined)[] = [];
    flow = async (_file, ctx) => {
      resumedWith.push(ctx.uploadId);
      ctx.emit({ type: 'verifying' });
      ctx.emit({ type: 'done', instant: false });
    };
    t.resume();
    await t.settled();
    expect(resumedWith).toEqual(['up1']); // the same server upload, not a new one
    expect(t.snapshot().state).toEqual({ status: 'done', instant: false });
  });

  it('offers no Retry for a failure retrying cannot fix, and Retry for the others', async () => {
    flow = async () => {
      throw new ApiError(413, 'quota_exceeded', 'full');
    };
    const t = transfer();
    await t.settled();
    expect(t.snapshot().state).toMatchObject({ status: 'failed', retryable: false });
    t.retry(); // ignored
    await t.settled();
    expect(t.snapshot().state).toMatchObject({ status: 'failed', retryable: false });

    flow = async () => {
      throw new ApiError(0, 'network_error', 'gone');
    };
    const u = transfer();
    await u.settled();
    expect(u.snapshot().state).toMatchObject({ status: 'failed', retryable: true });
  });

  it('gives a time left only after 2 s and 1 MiB of this run', async () => {
    const big = { size: 10 * ETA_AFTER_BYTES, chunkSize: ETA_AFTER_BYTES, chunkCount: 10 };
    let emit!: FlowContext['emit'];
    flow = async (_file, ctx) => {
      emit = ctx.emit;
      emit({ type: 'opened', uploadId: 'up1', layout: big, held: new Array(10).fill(0) });
      await new Promise(() => {});
    };
    const t = transfer(big.size);
    await settle();
    emit({ type: 'chunk', index: 0, state: 'sending', held: ETA_AFTER_BYTES });
    clock = 1_000;
    expect(t.snapshot().state).toMatchObject({ etaReady: false }); // 1 MiB, but 1 s
    emit({ type: 'chunk', index: 0, state: 'sending', held: 1_000 });
    clock = 2_500;
    expect(t.snapshot().state).toMatchObject({ etaReady: false }); // 2.5 s, but < 1 MiB
    emit({ type: 'chunk', index: 0, state: 'sending', held: ETA_AFTER_BYTES });
    expect(t.snapshot().state).toMatchObject({ etaReady: true });
  });
});
