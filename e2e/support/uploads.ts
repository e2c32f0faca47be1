// The chunked upload as the browser performs it: the chunk requests it sends and their answers,
// every state the transfer panel showed, picking files and checking what the drive gives back.
import { expect, type Page, type Request } from '@playwright/test';
import { download } from './app.ts';
import { sha1OfFile, type TestFile } from './files.ts';
import { CHUNK_SIZE } from './server.ts';

const CHUNK_PATH = /^\/api\/uploads\/([^/]+)\/chunks\/(\d+)$/;

/** The upload id and index of a `PUT /api/uploads/:id/chunks/:index`, else undefined. */
export function chunkOf(request: Request): { uploadId: string; index: number } | undefined {
  if (request.method() !== 'PUT') return undefined;
  const match = CHUNK_PATH.exec(new URL(request.url()).pathname);
  return match ? { uploadId: match[1]!, index: Number(match[2]) } : undefined;
}

export const chunkCountOf = (file: TestFile) => Math.ceil(file.size / CHUNK_SIZE);

export interface ChunkTraffic {
  /** Every chunk index requested, in the order the requests left, retries included. */
  sent: number[];
  /** Indexes the server answered 204, in the order the answers came. */
  received: number[];
  /** Chunk requests neither answered nor failed yet. */
  readonly inFlight: number;
}

/** Records the page's chunk requests from now on (the page object survives reloads). */
export function recordChunkTraffic(page: Page): ChunkTraffic {
  const pending = new Set<Request>();
  const traffic = {
    sent: [] as number[],
    received: [] as number[],
    get inFlight() {
      return pending.size;
    },
  };
  page.on('request', (request) => {
    const chunk = chunkOf(request);
    if (!chunk) return;
    traffic.sent.push(chunk.index);
    pending.add(request);
  });
  page.on('response', (response) => {
    const chunk = chunkOf(response.request());
    if (chunk && response.status() === 204) traffic.received.push(chunk.index);
  });
  const settled = (request: Request) => pending.delete(request);
  page.on('requestfinished', settled);
  page.on('requestfailed', settled);
  return traffic;
}

/** Waits until the server has answered 204 to `count` chunk requests (network events: no 10 Hz UI lag). */
export async function waitForReceivedChunks(traffic: ChunkTraffic, count: number): Promise<void> {
  await expect
    .poll(() => traffic.received.length, { intervals: [20], timeout: 60_000 })
    .toBeGreaterThanOrEqual(count);
}

declare global {
  interface Window {
    /** Filled by watchTransferStates. */
    seenStates?: { status: string[]; chunk: string[] };
  }
}

/**
 * Records in the page every `data-status` a transfer row and every `data-state` a chunk cell
 * shows from now on, including states too short-lived for polling to catch. Call again after a
 * reload. `seen()` gives the distinct values in the order they first appeared.
 */
export async function watchTransferStates(page: Page) {
  await page.evaluate(() => {
    const seen = { status: [] as string[], chunk: [] as string[] };
    const note = (list: string[], value: string | null) => {
      if (value !== null && !list.includes(value)) list.push(value);
    };
    const visit = (element: Element) => {
      note(seen.status, element.getAttribute('data-status'));
      if (element.matches('[data-testid="chunk"]'))
        note(seen.chunk, element.getAttribute('data-state'));
    };
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        if (mutation.type === 'attributes') visit(mutation.target as Element);
        for (const node of Array.from(mutation.addedNodes)) {
          if (!(node instanceof Element)) continue;
          visit(node);
          node.querySelectorAll('[data-status], [data-testid="chunk"]').forEach(visit);
        }
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-status', 'data-state'],
    });
    window.seenStates = seen;
  });
  return {
    seen: () => page.evaluate(() => window.seenStates ?? { status: [], chunk: [] }),
  };
}

/** Picks files with the drive's own file input (the Upload button's picker). */
export const pickFiles = (page: Page, paths: string[]) =>
  page.getByTestId('file-input').setInputFiles(paths);

/** Downloads the file from the drive and checks its bytes against the original's SHA-1. */
export async function expectDownloadMatches(page: Page, file: TestFile): Promise<void> {
  const saved = await download(page, file.name);
  expect(await sha1OfFile(saved.path)).toBe(file.sha1);
}

/** What `GET /api/uploads/:id` says the server holds of an upload. */
export interface UploadStatus {
  uploadId: string;
  uploaded: number[];
  missing: number[];
  partial: { index: number; bytes: number }[];
  bytesReceived: number;
  percent: number;
}

/** What the server holds of the upload right now. */
export async function serverStatus(page: Page, uploadId: string): Promise<UploadStatus> {
  const answer = await page.request.get(`/api/uploads/${uploadId}`);
  expect(answer.status()).toBe(200);
  return (await answer.json()) as UploadStatus;
}
