// One file's upload: its controls (`start`, `pause`, `resume`, `retry`, `cancel`) and its state,
// which only `apply` changes — with the flow's transitions and the transfer's own. `changed` tells
// the uploader (uploader.ts) that the snapshot is stale; it writes the store, throttled.
import { cancelUpload } from '../api/cancel-upload.ts';
import { getUpload } from '../api/get-upload.ts';
import { chunkLength } from './chunk-ranges.ts';
import type { ChunkQueue } from './chunk-queue.ts';
import type { OnConflict } from '@filestore/contract';
import type { PickedFile } from './file-handles.ts';
import { forgetUpload, recallUpload } from './resume-memory.ts';
import type { Slots } from './slots.ts';
import { createSpeedMeter } from './speed-meter.ts';
import { advance, bytesHeld, initialModel, type Transition } from './transfer-state.ts';
import { uploadFile } from './upload-flow.ts';
import type { Upload, UploadFailure, UploadState } from './upload-store.ts';

export interface TransferDeps {
  queue: ChunkQueue;
  /** Files allowed through their flow at once. */
  fileSlots: Slots;
  changed: (transfer: FileTransfer) => void;
  /** The file is in the drive now. */
  landed: () => void;
  /** The flow, replaceable in tests. */
  flow?: typeof uploadFile;
}

/** No time left is shown before the speed has been measured this long and over this many bytes. */
export const ETA_AFTER_MS = 2_000;
export const ETA_AFTER_BYTES = 1024 * 1024;

/** When to ask the server again what it holds after a pause. */
const HELD_RECHECK_MS = 1_000;

/** Errors that come back whatever is tried again: no Retry for them. */
const FINAL_ERRORS = new Set(['quota_exceeded', 'payload_too_large', 'invalid_name']);

export function toFailure(err: unknown): UploadFailure {
  const code = (err as { code?: unknown } | null)?.code;
  return {
    code: typeof code === 'string' ? code : 'unknown',
    message: err instanceof Error ? err.message : String(err),
  };
}

const stopped = (why: string) => new DOMException(why, 'AbortError');

export class FileTransfer {
  private model = initialModel();
  private speed = createSpeedMeter();
  /** When this run's sending started, and the bytes held then (for the ETA's threshold). */
  private runStart?: { at: number; bytes: number };
  private controller?: AbortController;
  private stopping: 'pause' | 'cancel' | null = null;
  private running: Promise<void> = Promise.resolve();

  readonly file: File;
  private readonly handle?: FileSystemFileHandle;
  private readonly onConflict?: OnConflict;

  constructor(
    readonly id: string,
    picked: PickedFile & { onConflict?: OnConflict },
    /** The folder it goes into; undefined: the root. */
    readonly folderId: string | undefined,
    private readonly deps: TransferDeps,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.file = picked.file;
    this.handle = picked.handle;
    this.onConflict = picked.onConflict;
  }

  /** Something runs that leaving the page would interrupt. */
  get busy(): boolean {
    return ['queued', 'uploading', 'instant', 'verifying'].includes(this.model.status);
  }

  get status() {
    return this.model.status;
  }

  // --- controls -------------------------------------------------------------------------------

  start(): void {
    this.running = this.run();
  }

  /** Stops sending at once; the progress shown becomes what the server holds. */
  pause(): void {
    if (this.model.status !== 'uploading') return;
    this.stopping = 'pause';
    this.apply({ type: 'paused' });
    this.controller?.abort(stopped('Paused'));
  }

  /** Continues each chunk from the bytes the server holds. */
  resume(): void {
    if (this.model.status === 'paused') this.start();
  }

  retry(): void {
    if (this.model.status === 'failed' && this.model.retryable) this.start();
  }

  /** Stops everything, then deletes the upload on the server and forgets it here. */
  async cancel(): Promise<void> {
    this.stopping = 'cancel';
    this.controller?.abort(stopped('Cancelled'));
    await this.running;
    const uploadId = this.model.uploadId ?? (await recallUpload(this.file))?.uploadId;
    await Promise.all([
      uploadId && cancelUpload(uploadId).catch(() => {}), // already gone is fine
      forgetUpload(this.file),
    ]);
  }

  /** Settles when the current run has stopped (tests). */
  settled(): Promise<void> {
    return this.running;
  }

  private async run(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    this.stopping = null;
    this.runStart = undefined;
    this.apply({ type: 'queued' });
    let release: (() => void) | undefined;
    try {
      release = await this.deps.fileSlots.acquire(controller.signal);
      await (this.deps.flow ?? uploadFile)(this.file, {
        signal: controller.signal,
        queue: this.deps.queue,
        folderId: this.folderId,
        onConflict: this.onConflict,
        uploadId: this.model.uploadId,
        handle: this.handle,
        emit: (t) => this.apply(t),
      });
      this.deps.landed();
    } catch (err) {
      if (this.stopping === 'pause') await this.showHeld();
      else if (this.stopping === null) {
        const failure = toFailure(err);
        this.apply({ type: 'failed', failure, retryable: !FINAL_ERRORS.has(failure.code) });
      }
    } finally {
      release?.();
      this.controller = undefined;
    }
  }

  /**
   * After a pause: what the server holds, bytes of interrupted chunks included. Asked twice: the
   * server records a cut-off chunk's bytes when it sees its connection end, a moment after ours.
   */
  private async showHeld(): Promise<void> {
    const { uploadId, layout } = this.model;
    if (!uploadId || !layout) return this.apply({ type: 'paused' });
    for (const wait of [0, HELD_RECHECK_MS]) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (this.model.status !== 'paused') return;
      try {
        const status = await getUpload(uploadId);
        const held = new Array<number>(layout.chunkCount).fill(0);
        for (const index of status.uploaded) held[index] = chunkLength(layout, index);
        for (const { index, bytes } of status.partial) held[index] = bytes;
        if (this.model.status === 'paused') this.apply({ type: 'paused', held });
      } catch {
        return; // unreachable now: the resume asks again and goes on from what the server says
      }
    }
  }

  apply(transition: Transition): void {
    const before = this.model.status;
    this.model = advance(this.model, transition);
    if (this.model.status === 'uploading' && before !== 'uploading') {
      this.speed = createSpeedMeter(this.now);
      this.runStart = { at: this.now(), bytes: bytesHeld(this.model) };
    }
    this.deps.changed(this);
  }

  // --- snapshot -------------------------------------------------------------------------------

  private state(): UploadState {
    const { model } = this;
    switch (model.status) {
      case 'uploading': {
        const bytesDone = Math.min(bytesHeld(model), this.file.size);
        const start = this.runStart ?? { at: this.now(), bytes: bytesDone };
        const etaReady =
          this.now() - start.at >= ETA_AFTER_MS && bytesDone - start.bytes >= ETA_AFTER_BYTES;
        return { status: 'uploading', bytesDone, bytesPerSecond: this.speed(bytesDone), etaReady };
      }
      case 'paused':
        return { status: 'paused', bytesDone: Math.min(bytesHeld(model), this.file.size) };
      case 'done':
        return { status: 'done', instant: model.instant };
      case 'failed':
        return { status: 'failed', reason: model.failure!, retryable: model.retryable };
      default:
        return { status: model.status };
    }
  }

  /** What the UI shows; taken at most ~10 times a second, so the speed is sampled here too. */
  snapshot(): Upload {
    const { layout, chunkStates, held, uploadId } = this.model;
    const progress: Record<number, number> = {};
    if (layout) {
      chunkStates.forEach((state, index) => {
        if (state === 'sending') progress[index] = held[index]! / chunkLength(layout, index);
      });
    }
    return {
      id: this.id,
      name: this.file.name,
      size: this.file.size,
      state: this.state(),
      uploadId,
      chunks: layout && { states: [...chunkStates], progress },
    };
  }
}
