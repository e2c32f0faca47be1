// One file's upload, shaped like Uppy's S3Uploader: its chunk list and chunk states, `start`,
// `pause`, `resume`, `retry`, `cancel`, and a `changed` callback whenever its snapshot is stale.
// It is the `UploadJob` the flow (upload-flow.ts) reports to; the uploader (uploader.ts) turns
// `changed` into throttled store writes.
import { cancelUpload } from '../api/cancel-upload.ts';
import { type ChunkLayout, bytesOf, chunkLength } from './chunk-ranges.ts';
import type { ChunkQueue } from './chunk-queue.ts';
import { forgetUpload, recallUpload } from './resume-memory.ts';
import type { Slots } from './slots.ts';
import { createSpeedMeter } from './speed-meter.ts';
import { type OpenUpload, type UploadJob, uploadOneFile } from './upload-flow.ts';
import type {
  ChunkState,
  Upload,
  UploadFailure,
  UploadState,
  UploadStatus,
} from './upload-store.ts';

export interface TransferDeps {
  queue: ChunkQueue;
  /** Files allowed through their flow at once. */
  fileSlots: Slots;
  changed: (transfer: FileTransfer) => void;
  /** The file is in the drive now. */
  landed: () => void;
}

export function toFailure(err: unknown): UploadFailure {
  const code = (err as { code?: unknown } | null)?.code;
  return {
    code: typeof code === 'string' ? code : 'unknown',
    message: err instanceof Error ? err.message : String(err),
  };
}

const stopped = (why: string) => new DOMException(why, 'AbortError');

export class FileTransfer implements UploadJob {
  known?: { uploadId: string; sha1: string };
  signal = new AbortController().signal;

  private status: UploadStatus = 'queued';
  private instantUpload = false;
  private failure: UploadFailure = { code: 'unknown', message: '' };
  private hashedBytes = 0;
  private layout?: ChunkLayout;
  private chunkStates: ChunkState[] = [];
  /** Bytes sent so far of each chunk in flight. */
  private sending = new Map<number, number>();
  private doneBytes = 0;
  private speed = createSpeedMeter();
  private controller?: AbortController;
  private stopping: 'pause' | 'cancel' | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly file: File,
    /** The folder it goes into; undefined: the root. */
    readonly folderId: string | undefined,
    private readonly deps: TransferDeps,
  ) {}

  get queue() {
    return this.deps.queue;
  }

  // --- controls -------------------------------------------------------------------------------

  start(): void {
    this.running = this.run();
  }

  /** Stops sending at once: chunk requests in flight are aborted, queued ones never start. */
  pause(): void {
    if (this.status !== 'uploading') return;
    this.stopping = 'pause';
    this.setStatus('paused');
    this.controller?.abort(stopped('Paused'));
  }

  /** Asks the server which chunks it still needs, and sends them. */
  resume(): void {
    if (this.status === 'paused') this.start();
  }

  retry(): void {
    if (this.status === 'failed') this.start();
  }

  /** Stops everything, then deletes the upload on the server and forgets it here. */
  async cancel(): Promise<void> {
    this.stopping = 'cancel';
    this.controller?.abort(stopped('Cancelled'));
    await this.running;
    const known = this.known ?? (await recallUpload(this.file));
    await Promise.all([
      known && cancelUpload(known.uploadId).catch(() => {}), // already gone is fine
      forgetUpload(this.file),
    ]);
  }

  private async run(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    this.signal = controller.signal;
    this.stopping = null;
    this.setStatus('queued');
    let release: (() => void) | undefined;
    try {
      release = await this.deps.fileSlots.acquire(controller.signal);
      await uploadOneFile(this.file, this);
      this.deps.landed();
    } catch (err) {
      this.sending.clear();
      this.chunkStates = this.chunkStates.map((s) => (s === 'done' ? s : 'waiting'));
      if (this.stopping === 'pause') this.setStatus('paused');
      else if (this.stopping === null) {
        this.failure = toFailure(err);
        this.setStatus('failed');
      }
    } finally {
      release?.();
      this.controller = undefined;
    }
  }

  // --- UploadEvents, called by the flow -------------------------------------------------------

  hashing(hashedBytes: number): void {
    if (this.status !== 'hashing') this.speed = createSpeedMeter();
    this.hashedBytes = hashedBytes;
    this.setStatus('hashing');
  }

  checking(): void {
    this.setStatus('checking');
  }

  instant(): void {
    this.setStatus('instant');
  }

  uploading({ layout, missing }: OpenUpload): void {
    this.layout = layout;
    const states = new Array<ChunkState>(layout.chunkCount).fill('done');
    for (const index of missing) states[index] = 'waiting';
    this.chunkStates = states;
    this.sending.clear();
    this.doneBytes = layout.size - bytesOf(layout, missing);
    this.speed = createSpeedMeter();
    this.setStatus('uploading');
  }

  chunk(index: number, state: ChunkState, sentBytes = 0): void {
    if (!this.layout || this.signal.aborted) return; // late events of aborted requests
    const previous = this.chunkStates[index];
    if (state === 'done' && previous !== 'done') this.doneBytes += chunkLength(this.layout, index);
    if (state !== 'done' && previous === 'done') this.doneBytes -= chunkLength(this.layout, index);
    this.chunkStates[index] = state;
    if (state === 'sending') this.sending.set(index, sentBytes);
    else this.sending.delete(index);
    this.deps.changed(this);
  }

  verifying(): void {
    this.setStatus('verifying');
  }

  done(instant: boolean): void {
    this.instantUpload = instant;
    this.setStatus('done');
  }

  // --- snapshot -------------------------------------------------------------------------------

  private setStatus(status: UploadStatus): void {
    this.status = status;
    this.deps.changed(this);
  }

  private bytesSent(): number {
    let bytes = this.doneBytes;
    for (const sent of this.sending.values()) bytes += sent;
    return Math.min(bytes, this.file.size);
  }

  private state(): UploadState {
    switch (this.status) {
      case 'hashing':
        return {
          status: 'hashing',
          bytesDone: this.hashedBytes,
          bytesPerSecond: this.speed(this.hashedBytes),
        };
      case 'uploading': {
        const bytesDone = this.bytesSent();
        return { status: 'uploading', bytesDone, bytesPerSecond: this.speed(bytesDone) };
      }
      case 'paused':
        return { status: 'paused', bytesDone: this.bytesSent() };
      case 'done':
        return { status: 'done', instant: this.instantUpload };
      case 'failed':
        return { status: 'failed', reason: this.failure };
      default:
        return { status: this.status };
    }
  }

  /** What the UI shows; taken at most ~10 times a second, so the speed is sampled here too. */
  snapshot(): Upload {
    const { layout } = this;
    const progress: Record<number, number> = {};
    if (layout) {
      for (const [index, sent] of this.sending) progress[index] = sent / chunkLength(layout, index);
    }
    return {
      id: this.id,
      name: this.file.name,
      size: this.file.size,
      state: this.state(),
      uploadId: this.known?.uploadId,
      chunks: layout && {
        states: this.status === 'done' ? this.chunkStates.map(() => 'done') : [...this.chunkStates],
        progress,
      },
    };
  }
}
