// The file worker's side of protocol.ts: opens the pipeline, runs each send with its own abort,
// and turns every outcome into a reply. Free of Worker globals, so tests run it in this thread.
import { isApiError } from '../../api/client.ts';
import { createChunkPipeline, type ChunkPipeline, type PutChunk } from './chunk-pipeline.ts';
import type { WireError, WorkerReply, WorkerRequest } from './protocol.ts';

export function toWireError(err: unknown): WireError {
  if (isApiError(err)) {
    return { status: err.status, code: err.code, message: err.message, offset: err.offset };
  }
  // A HashError (the chunk could not be read) keeps its code; status -1: no request was made.
  const code = (err as { code?: unknown } | null)?.code;
  return { status: -1, code: typeof code === 'string' ? code : 'unknown', message: String(err) };
}

export function handleWorkerRequests(reply: (message: WorkerReply) => void, putChunk: PutChunk) {
  let pipeline: ChunkPipeline | undefined;
  const sends = new Map<number, AbortController>();

  return (request: WorkerRequest): void => {
    switch (request.type) {
      case 'open': {
        const { file, layout, held, readAhead } = request;
        pipeline = createChunkPipeline(file, layout, { held, readAhead, putChunk, report: reply });
        return;
      }
      case 'held':
        return pipeline?.held(request.indexes);
      case 'abort':
        return sends.get(request.id)?.abort(new DOMException('Stopped', 'AbortError'));
      case 'send': {
        const { id, uploadId, index, offset } = request;
        const controller = new AbortController();
        sends.set(id, controller);
        const onProgress = (sent: number) => reply({ type: 'progress', id, sent });
        void pipeline!
          .send(uploadId, index, offset, controller.signal, onProgress)
          .then(
            () => reply({ type: 'sent', id }),
            (err: unknown) =>
              reply(
                controller.signal.aborted
                  ? { type: 'aborted', id }
                  : { type: 'failed', id, error: toWireError(err) },
              ),
          )
          .finally(() => sends.delete(id));
        return;
      }
    }
  };
}
