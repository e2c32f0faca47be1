// One file's way to the drive, as one function that emits its transitions: reopen the upload this
// page or an earlier visit left, or open a new one (no SHA-1 needed) → send the missing chunks
// from the file worker, which reads each byte once and computes the SHA-1 on the way → as soon as
// the SHA-1 is known, ask for an instant upload: if the server has the content, stop sending,
// prove possession, drop the partial upload → else complete with the SHA-1. Errors and aborts
// propagate to the caller (file-transfer.ts).
import type { PartialChunks } from '@filestore/contract';
import { ApiError, isApiError } from '../api/client.ts';
import { cancelUpload } from '../api/cancel-upload.ts';
import { completeUpload } from '../api/complete-upload.ts';
import { createUpload } from '../api/create-upload.ts';
import { getUpload } from '../api/get-upload.ts';
import { proveInstantUpload, requestInstantChallenge } from '../api/instant-upload.ts';
import { type ChunkLayout, chunkLength } from './chunk-ranges.ts';
import { abortableSleep, type ChunkQueue } from './chunk-queue.ts';
import type { OnConflict } from '@filestore/contract';
import { proveRange } from './hashing/instant-proof.ts';
import { forgetUpload, recallUpload, rememberUpload } from './resume-memory.ts';
import { backoffDelay, isRetryable, MAX_ATTEMPTS } from './retry-policy.ts';
import type { Transition } from './transfer-state.ts';
import { type FileWorker, startFileWorker } from './worker/worker-client.ts';

const MiB = 1024 * 1024;
/** Bytes read ahead of the sending, per file: the memory bound, and how early the SHA-1 is known. */
const READ_AHEAD_BYTES = 64 * MiB;
/** Rounds of "send what complete says is missing" before giving up. */
const COMPLETE_ROUNDS = 3;
/** Immediate re-sends of one chunk after the server named the offset it holds, or a bad checksum. */
const RESYNC_TRIES = 3;

export interface FlowContext {
  signal: AbortSignal;
  queue: ChunkQueue;
  /** The folder the file goes into; undefined: the root. */
  folderId?: string;
  /** What the server does if the name is taken when the file lands; undefined: its default. */
  onConflict?: OnConflict;
  /** The server's upload from an earlier run of this page, if any. */
  uploadId?: string;
  /** The file's handle, remembered with the upload so that a reload can read the file again. */
  handle?: FileSystemFileHandle;
  emit: (transition: Transition) => void;
  startWorker?: typeof startFileWorker;
}

interface OpenUpload {
  uploadId: string;
  layout: ChunkLayout;
  /** Bytes of each chunk the server holds. */
  held: number[];
}

export async function uploadFile(file: File, ctx: FlowContext): Promise<void> {
  const open = (await reopenUpload(file, ctx)) ?? (await openUpload(file, ctx));
  const { uploadId, layout, held } = open;
  ctx.emit({ type: 'opened', uploadId, layout, held: [...held] });

  const whole = (index: number) => held[index] === chunkLength(layout, index);
  const indexes = held.map((_, index) => index);
  const worker = (ctx.startWorker ?? startFileWorker)(file, layout, {
    held: indexes.filter(whole),
    readAhead: Math.max(2, Math.floor(READ_AHEAD_BYTES / layout.chunkSize)),
  });
  const stopSending = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stopSending.signal]);
  let sends: Promise<void> = Promise.resolve();
  try {
    // A file of one chunk hashes first: its SHA-1 comes with its only read, and sending it
    // would leave no time to try an instant upload.
    if (layout.chunkCount === 1) {
      const sha1 = await untilAborted(worker.sha1, ctx.signal);
      if (await uploadInstantly(file, sha1, ctx, () => {}))
        return await dropUpload(file, uploadId, ctx);
    }
    let sendsOver = false;
    sends = sendChunks(
      worker,
      open,
      indexes.filter((i) => !whole(i)),
      signal,
      ctx,
    );
    void sends.then(
      () => (sendsOver = true),
      () => (sendsOver = true),
    );

    const sha1 = await untilAborted(worker.sha1, ctx.signal);
    // Known while chunks still go out: if the server has this content, the rest need not.
    if (
      layout.chunkCount > 1 &&
      !sendsOver &&
      (await uploadInstantly(file, sha1, ctx, () => stopSending.abort()))
    ) {
      return await dropUpload(file, uploadId, ctx);
    }
    await sends;
    await complete(worker, open, sha1, ctx);
  } finally {
    // Stopped (pause, cancel, instant upload, a failure): the worker goes once its requests are
    // over, not before — a terminated worker's requests end without a trace.
    await sends.catch(() => {});
    worker.close();
  }
  await forgetUpload(file);
  ctx.emit({ type: 'done', instant: false });
}

/** After an instant upload: the partial upload is of no use now. */
async function dropUpload(file: File, uploadId: string, ctx: FlowContext): Promise<void> {
  void cancelUpload(uploadId).catch(() => {}); // gone already is fine
  await forgetUpload(file);
  ctx.emit({ type: 'done', instant: true });
}

const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    }),
  ]);

/** Completes with the SHA-1; sends what the server says is missing; retries network errors. */
async function complete(worker: FileWorker, open: OpenUpload, sha1: string, ctx: FlowContext) {
  for (let round = 1; ; round += 1) {
    ctx.emit({ type: 'verifying' });
    try {
      await withRetries(() => completeUpload(open.uploadId, sha1, ctx.signal), ctx.signal);
      return;
    } catch (err) {
      // Chunks the server lost or never got (another tab, a sweep race): send them and try again.
      if (isApiError(err, 'chunks_missing') && err.missing && round < COMPLETE_ROUNDS) {
        ctx.emit({ type: 'sending', indexes: err.missing });
        await sendChunks(worker, open, err.missing, ctx.signal, ctx);
        continue;
      }
      throw err;
    }
  }
}

/** Runs `request` again after network errors and 5xx answers, with backoff, like a chunk. */
async function withRetries<T>(request: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request();
    } catch (err) {
      if (signal.aborted || !isRetryable(err) || attempt >= MAX_ATTEMPTS) throw err;
      await abortableSleep(backoffDelay(attempt), signal);
    }
  }
}

/**
 * Sends chunks `indexes` through the shared queue, each from the offset the server holds. If one
 * chunk fails for good, the file's other chunks stop too and the first failure is thrown.
 */
async function sendChunks(
  worker: FileWorker,
  { uploadId, layout, held }: OpenUpload,
  indexes: readonly number[],
  signal: AbortSignal,
  { queue, emit }: FlowContext,
): Promise<void> {
  const stopAll = new AbortController();
  const stop = AbortSignal.any([signal, stopAll.signal]);

  const attempt = async (index: number, attemptSignal: AbortSignal) => {
    for (let resync = 0; ; resync += 1) {
      const offset = held[index] ?? 0;
      emit({ type: 'chunk', index, state: 'sending', held: offset });
      try {
        await worker.send(uploadId, index, offset, {
          signal: attemptSignal,
          onProgress: (sent) =>
            emit({ type: 'chunk', index, state: 'sending', held: offset + sent }),
        });
        return;
      } catch (err) {
        if (attemptSignal.aborted || resync >= RESYNC_TRIES) throw err;
        // The server holds another part of the chunk than we thought (the end of a request cut
        // off mid-way): go on from there. A checksum mismatch reset the chunk to 0: send it whole.
        if (isApiError(err, 'offset_mismatch') && err.offset !== undefined)
          held[index] = err.offset;
        else if (isApiError(err, 'checksum_mismatch')) held[index] = 0;
        else {
          // After no answer at all, the server may hold any part of it: it says so on the retry.
          if (!isRetryable(err)) stopAll.abort(err); // a final refusal stops the other chunks
          throw err;
        }
      }
    }
  };

  const sendOne = async (index: number) => {
    try {
      await queue.run((attemptSignal) => attempt(index, attemptSignal), {
        signal: stop,
        onRetry: () => emit({ type: 'chunk', index, state: 'retrying', held: held[index] ?? 0 }),
      });
      held[index] = chunkLength(layout, index);
      emit({ type: 'chunk', index, state: 'done', held: held[index] });
    } catch (err) {
      stopAll.abort(err); // retries used up, or the chunk could not be read
      throw err;
    }
  };

  // Settled, not all: return only once no request of this file is in flight any more.
  await Promise.allSettled(indexes.map(sendOne));
  signal.throwIfAborted();
  // The first failure is the cause (the other chunks only stopped because of it).
  if (stopAll.signal.aborted) throw stopAll.signal.reason;
}

const heldOf = (layout: ChunkLayout, uploaded: readonly number[], partial: PartialChunks) => {
  const held = new Array<number>(layout.chunkCount).fill(0);
  for (const index of uploaded) held[index] = chunkLength(layout, index);
  for (const { index, bytes } of partial) held[index] = bytes;
  return held;
};

/** The upload this page or an earlier visit opened for this file, if the server still has it. */
async function reopenUpload(file: File, ctx: FlowContext): Promise<OpenUpload | undefined> {
  const uploadId = ctx.uploadId ?? (await recallUpload(file))?.uploadId;
  if (!uploadId) return undefined;
  try {
    const status = await getUpload(uploadId, ctx.signal);
    const { size, chunkSize, chunkCount } = status;
    if (size !== file.size) throw new ApiError(404, 'not_found', 'A different file');
    const layout = { size, chunkSize, chunkCount };
    return { uploadId, layout, held: heldOf(layout, status.uploaded, status.partial) };
  } catch (err) {
    if (!isApiError(err, 'not_found')) throw err;
    // Expired, cancelled elsewhere, or another user's: start afresh.
    await forgetUpload(file);
    return undefined;
  }
}

/** Opens a chunked upload without a SHA-1: chunks go out at once, the SHA-1 follows. */
async function openUpload(file: File, ctx: FlowContext): Promise<OpenUpload> {
  const { name, size } = file;
  const { folderId, onConflict, handle } = ctx;
  const created = await createUpload({ name, size, folderId, onConflict }, ctx.signal);
  if ('instant' in created) throw new ApiError(500, 'internal_error', 'instant without a SHA-1');
  const { uploadId, chunkSize, chunkCount } = created;
  await rememberUpload(file, { uploadId, createdAt: Date.now(), folderId, handle });
  ctx.signal.throwIfAborted();
  const layout = { size, chunkSize, chunkCount };
  return { uploadId, layout, held: heldOf(layout, created.uploaded, created.partial) };
}

/**
 * Instant upload (秒传): the server has this content, but a hash alone proves nothing, so it asks
 * for an HMAC, keyed by its nonce, of a random range of our copy. False when the server does not
 * have the content or will not say (the probe budget is spent): then the sending goes on.
 * `stopSending` is called once the server has the content.
 */
async function uploadInstantly(
  file: File,
  sha1: string,
  ctx: FlowContext,
  stopSending: () => void,
): Promise<boolean> {
  const { folderId, onConflict } = ctx;
  const target = { name: file.name, size: file.size, sha1, folderId, onConflict };
  const challenge = await requestInstantChallenge(target);
  ctx.signal.throwIfAborted();
  if (!challenge) return false;
  stopSending();
  ctx.emit({ type: 'instant' });
  const hmac = await proveRange(file, challenge);
  ctx.signal.throwIfAborted();
  await proveInstantUpload({ ...target, proof: { token: challenge.token, hmac } });
  return true;
}
