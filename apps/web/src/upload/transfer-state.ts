// One file's upload as the engine sees it, and the transitions that move it: the flow
// (upload-flow.ts) emits them, the transfer (file-transfer.ts) adds its own (queued, paused,
// failed), and `advance` applies them. Pure, so every step is testable without a server.
import { type ChunkLayout, chunkLength } from './chunk-ranges.ts';
import type { ChunkState, UploadFailure, UploadStatus } from './upload-store.ts';

export interface TransferModel {
  /** (`interrupted` is a row of an earlier visit, before it has a transfer.) */
  status: Exclude<UploadStatus, 'interrupted'>;
  uploadId?: string;
  layout?: ChunkLayout;
  /** Bytes of each chunk the server holds, or has been sent while the chunk is sending. */
  held: number[];
  chunkStates: ChunkState[];
  instant: boolean;
  failure?: UploadFailure;
  retryable: boolean;
}

export type Transition =
  | { type: 'queued' }
  /** The server's upload is open (new or resumed) and holds `held` bytes of each chunk. */
  | { type: 'opened'; uploadId: string; layout: ChunkLayout; held: number[] }
  /** Chunks go out (again, after complete found some missing). */
  | { type: 'sending'; indexes: readonly number[] }
  | { type: 'chunk'; index: number; state: ChunkState; held: number }
  | { type: 'instant' }
  | { type: 'verifying' }
  | { type: 'done'; instant: boolean }
  /** `held`: what the server reports once the requests in flight are stopped. */
  | { type: 'paused'; held?: number[] }
  | { type: 'failed'; failure: UploadFailure; retryable: boolean };

export const initialModel = (): TransferModel => ({
  status: 'queued',
  held: [],
  chunkStates: [],
  instant: false,
  retryable: true,
});

const statesFrom = (layout: ChunkLayout, held: readonly number[]): ChunkState[] =>
  held.map((bytes, index) => (bytes === chunkLength(layout, index) ? 'done' : 'waiting'));

export function advance(model: TransferModel, t: Transition): TransferModel {
  switch (t.type) {
    case 'queued':
      return { ...model, status: 'queued', failure: undefined };
    case 'opened':
      return {
        ...model,
        status: 'uploading',
        uploadId: t.uploadId,
        layout: t.layout,
        held: [...t.held],
        chunkStates: statesFrom(t.layout, t.held),
      };
    case 'sending': {
      const chunkStates = [...model.chunkStates];
      for (const index of t.indexes) chunkStates[index] = 'waiting';
      return { ...model, status: 'uploading', chunkStates };
    }
    case 'chunk': {
      // Late reports of requests stopped by a pause or a failure change nothing.
      if (model.status !== 'uploading' || !model.layout) return model;
      const held = [...model.held];
      const chunkStates = [...model.chunkStates];
      held[t.index] = t.held;
      chunkStates[t.index] = t.state;
      return { ...model, held, chunkStates };
    }
    case 'instant':
      return { ...model, status: 'instant' };
    case 'verifying':
      return { ...model, status: 'verifying' };
    case 'done':
      return {
        ...model,
        status: 'done',
        instant: t.instant,
        chunkStates: model.chunkStates.map(() => 'done'),
      };
    case 'paused': {
      const held = t.held ?? model.held;
      const chunkStates = model.layout ? statesFrom(model.layout, held) : model.chunkStates;
      return { ...model, status: 'paused', held: [...held], chunkStates };
    }
    case 'failed': {
      const chunkStates = model.chunkStates.map((s): ChunkState => (s === 'done' ? s : 'waiting'));
      return {
        ...model,
        status: 'failed',
        failure: t.failure,
        retryable: t.retryable,
        chunkStates,
      };
    }
  }
}

/** Bytes the server holds (or has been sent) of the whole file. */
export const bytesHeld = (model: TransferModel) => model.held.reduce((sum, n) => sum + n, 0);
