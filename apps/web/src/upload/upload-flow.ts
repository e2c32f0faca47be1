// One file's way to the drive, as one function: resume a remembered upload at once, or hash →
// instant upload when the server has the content → open a chunked upload → send the missing
// chunks → complete (the server assembles and checks the SHA-1). Every step reports through
// `UploadEvents`; errors and aborts propagate to the caller (uploader.ts).
import { ApiError, isApiError } from '../api/client.ts';
import { completeUpload } from '../api/complete-upload.ts';
import { createUpload } from '../api/create-upload.ts';
import { getUpload } from '../api/get-upload.ts';
import { proveInstantUpload, requestInstantChallenge } from '../api/instant-upload.ts';
import { type ChunkLayout, missingChunks } from './chunk-ranges.ts';
import type { ChunkQueue } from './chunk-queue.ts';
import { hashInWorker } from './hash-client.ts';
import { proveRange } from './instant-proof.ts';
import { forgetUpload, recallUpload, rememberUpload } from './resume-memory.ts';
import { type ChunkReport, sendChunks } from './send-chunks.ts';

/** An upload the server has open for this file. */
export interface OpenUpload {
  uploadId: string;
  sha1: string;
  layout: ChunkLayout;
  /** Chunks the server does not have yet. */
  missing: readonly number[];
}

export interface UploadEvents {
  hashing(hashedBytes: number): void;
  checking(): void;
  instant(): void;
  /** Chunks are about to be sent (again, after a 409 chunks_missing). */
  uploading(upload: OpenUpload): void;
  chunk: ChunkReport;
  verifying(): void;
  done(instant: boolean): void;
}

export interface UploadJob extends UploadEvents {
  signal: AbortSignal;
  queue: ChunkQueue;
  /** The folder the file goes into; undefined: the root. */
  folderId?: string;
  /** This page's last upload id for the file (after a pause or a failure), if any. */
  known?: { uploadId: string; sha1: string };
}

/** Rounds of "send what complete says is missing" before giving up. */
const COMPLETE_ROUNDS = 3;

export async function uploadOneFile(file: File, job: UploadJob): Promise<void> {
  const open = (await resumeUpload(file, job)) ?? (await startUpload(file, job));
  if (!open) return; // uploaded instantly

  const target = { file, uploadId: open.uploadId, layout: open.layout };
  const send = (indexes: readonly number[]) =>
    sendChunks(target, indexes, job.queue, {
      signal: job.signal,
      onChunk: (index, state, sent) => job.chunk(index, state, sent),
    });

  job.uploading(open);
  await send(open.missing);
  for (let round = 1; ; round += 1) {
    job.verifying();
    try {
      await completeUpload(open.uploadId, job.signal);
      break;
    } catch (err) {
      // Chunks the server lost or never got (another tab, a sweep race): send them and try again.
      if (isApiError(err, 'chunks_missing') && err.missing && round < COMPLETE_ROUNDS) {
        job.uploading({ ...open, missing: err.missing });
        await send(err.missing);
        continue;
      }
      // The server discarded the upload: nothing left to resume.
      if (isApiError(err, 'sha1_mismatch')) await forgetUpload(file);
      throw err;
    }
  }
  await forgetUpload(file);
  job.done(false);
}

/** The upload this page or an earlier visit opened for this file, if the server still has it. */
async function resumeUpload(file: File, job: UploadJob): Promise<OpenUpload | undefined> {
  const known = job.known ?? (await recallUpload(file));
  if (!known) return undefined;
  job.known = known;
  try {
    const status = await getUpload(known.uploadId, job.signal);
    const { size, chunkSize, chunkCount } = status;
    if (size !== file.size) throw new ApiError(404, 'not_found', 'A different file');
    return {
      uploadId: known.uploadId,
      sha1: known.sha1,
      layout: { size, chunkSize, chunkCount },
      missing: status.missing,
    };
  } catch (err) {
    if (!isApiError(err, 'not_found')) throw err;
    // Expired, cancelled elsewhere, or another user's: start afresh.
    job.known = undefined;
    await forgetUpload(file);
    return undefined;
  }
}

/** Hashes the file and opens a chunked upload, or uploads it instantly (then: undefined). */
async function startUpload(file: File, job: UploadJob): Promise<OpenUpload | undefined> {
  const { name, size } = file;
  const { signal, folderId } = job;
  job.hashing(0);
  const sha1 = await hashInWorker(file, (hashed) => job.hashing(hashed), signal);

  job.checking();
  if (await uploadInstantly(file, sha1, job)) return undefined;
  const created = await createUpload({ name, size, sha1, folderId }, signal);
  // The content arrived in between (another user's upload just completed).
  if ('instant' in created) {
    if (await uploadInstantly(file, sha1, job)) return undefined;
    throw new ApiError(409, 'instant_unavailable', 'The server has the content but no challenge');
  }

  const { uploadId, chunkSize, chunkCount, uploaded } = created;
  job.known = { uploadId, sha1 };
  await rememberUpload(file, { uploadId, sha1, createdAt: Date.now() });
  signal.throwIfAborted();
  return {
    uploadId,
    sha1,
    layout: { size, chunkSize, chunkCount },
    missing: missingChunks(chunkCount, uploaded),
  };
}

/**
 * Instant upload (秒传): the server has this content, but a hash alone proves nothing, so it asks
 * for an HMAC, keyed by its nonce, of a random range of our copy. False when the server does not
 * have the content or will not say (the caller's probe budget is spent): then it is uploaded.
 */
async function uploadInstantly(file: File, sha1: string, job: UploadJob): Promise<boolean> {
  const target = { name: file.name, size: file.size, sha1, folderId: job.folderId };
  const challenge = await requestInstantChallenge(target);
  job.signal.throwIfAborted();
  if (!challenge) return false;
  job.instant();
  const hmac = await proveRange(file, challenge);
  job.signal.throwIfAborted();
  await proveInstantUpload({ ...target, proof: { token: challenge.token, hmac } });
  job.done(true);
  return true;
}
