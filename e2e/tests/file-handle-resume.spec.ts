// Resume after a reload from a remembered FileSystemFileHandle (issue 11, "Browser"): where the
// browser gives a handle (the Upload button's showOpenFilePicker, drag-and-drop), the app keeps it
// with the open upload in IndexedDB, and after a reload the transfer panel resumes with one click,
// without picking the file again.
//
// A real handle with no native dialog: the test file is written into the Origin Private File
// System, whose handles are real FileSystemFileHandles (storable in IndexedDB, read permission
// always granted), and an init script makes `showOpenFilePicker` return that handle. Everything
// else is the app as the user drives it: the Upload button, the transfer panel, the reload.
// What cannot be seen here is Chromium's permission prompt for a handle to a file on the user's
// disk: an OPFS handle's requestPermission answers "granted" without one.
import http from 'node:http';
import { expect, type Page, type Route, test } from '@playwright/test';
import { fileRow, registerAndEnter, transferRow, uniqueUsername } from '../support/app.ts';
import { scratchFiles } from '../support/files.ts';
import { recordRequests } from '../support/network.ts';
import { CHUNK_SIZE } from '../support/server.ts';
import {
  chunkCountOf,
  chunkOf,
  expectDownloadMatches,
  serverStatus,
  type UploadStatus,
} from '../support/uploads.ts';

/** Chunks the server acknowledges before the reload; the next one it gets half of. */
const WHOLE_BEFORE_RELOAD = 3;
const CUT_BYTES = CHUNK_SIZE / 2;
/** Where the test's page fetches the file's bytes from, to write them into OPFS (routed). */
const SOURCE_PATH = '/__e2e__/file-handle-source';

let files: Awaited<ReturnType<typeof scratchFiles>>;

test.beforeAll(async () => {
  files = await scratchFiles();
});

test.afterAll(async () => {
  await files.remove();
});

declare global {
  interface Window {
    /** Set by the init script: how often this page opened the (stand-in) file picker. */
    pickerCalls?: number;
  }
}

/**
 * Every page of the context gets a `showOpenFilePicker` that returns the OPFS file `name` at once,
 * as the browser's picker would return the file the user chose.
 */
async function pickerReturnsOpfsFile(page: Page, name: string): Promise<void> {
  await page.addInitScript((fileName) => {
    window.pickerCalls = 0;
    const picker = async () => {
      window.pickerCalls! += 1;
      const root = await navigator.storage.getDirectory();
      return [await root.getFileHandle(fileName)];
    };
    Object.defineProperty(window, 'showOpenFilePicker', { value: picker, configurable: true });
  }, name);
}

/** Writes the test file's bytes (from the test's disk) into OPFS under its name, from inside the page. */
async function writeOpfsFile(
  page: Page,
  { path, name, size }: { path: string; name: string; size: number },
): Promise<void> {
  await page.route(`**${SOURCE_PATH}`, (route) => route.fulfill({ path }));
  const written = await page.evaluate(
    async ({ source, fileName }) => {
      const answer = await fetch(source);
      const root = await navigator.storage.getDirectory();
      const handle = await root.getFileHandle(fileName, { create: true });
      const writable = await handle.createWritable();
      await answer.body!.pipeTo(writable); // closes it: the file is committed
      return (await handle.getFile()).size;
    },
    { source: SOURCE_PATH, fileName: name },
  );
  await page.unroute(`**${SOURCE_PATH}`);
  expect(written).toBe(size);
}

/** What IndexedDB remembers of the page's open uploads: each entry's upload id and handle. */
function rememberedUploads(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ uploadId: string; handle?: { kind: string; name: string } }[]>(
        (resolve, reject) => {
          const open = indexedDB.open('filestore');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const request = open.result
              .transaction('open-uploads')
              .objectStore('open-uploads')
              .getAll();
            request.onerror = () => reject(request.error);
            request.onsuccess = () => {
              open.result.close();
              const entries = request.result as {
                uploadId: string;
                handle?: FileSystemFileHandle;
              }[];
              resolve(
                entries.map(({ uploadId, handle }) => ({
                  uploadId,
                  handle: handle && { kind: handle.kind, name: handle.name },
                })),
              );
            };
          };
        },
      ),
  );
}

test('a reload resumes with one click from the remembered file handle: no file picked again, only the missing bytes sent, the download matches', async ({
  page,
}) => {
  // 7 chunks, the last one short.
  const file = await files.random('handle-resume.bin', 6 * CHUNK_SIZE + 123_457);
  const chunkCount = chunkCountOf(file);
  const row = transferRow(page, file.name);

  const choosers: string[] = [];
  page.on('filechooser', () => choosers.push(page.url()));
  await pickerReturnsOpfsFile(page, file.name);
  await registerAndEnter(page, uniqueUsername('hana'));
  await writeOpfsFile(page, file);

  // Before the reload the server gets chunks 0–2 whole and the first half of chunk 3 (sent from
  // here with the browser's headers, the connection then closed, as a link dropped mid-chunk
  // leaves it); every other chunk request is held until the reload. After it, everything goes
  // through and the chunk bodies are counted.
  const phase = { reloaded: false };
  let releaseHeld!: () => void;
  const held = new Promise<void>((resolve) => (releaseHeld = resolve));
  let cutDone: Promise<void> | undefined;
  const sentAfterReload: { index: number; offset: number; bytes: number }[] = [];
  await page.route('**/api/uploads/*/chunks/*', async (route: Route) => {
    const request = route.request();
    const chunk = chunkOf(request);
    if (!chunk) return route.fallback();
    if (phase.reloaded) {
      sentAfterReload.push({
        index: chunk.index,
        offset: Number(request.headers()['upload-offset'] ?? 0),
        bytes: request.postDataBuffer()?.length ?? 0,
      });
      return route.continue();
    }
    if (chunk.index < WHOLE_BEFORE_RELOAD) return route.continue();
    if (chunk.index === WHOLE_BEFORE_RELOAD && !cutDone) {
      cutDone = sendHalf(request.url(), await request.allHeaders(), request.postDataBuffer()!);
    }
    await held; // the reload cancels it in the browser
    await route.abort('aborted').catch(() => {});
  });

  await test.step('the Upload button picks the file with its handle; IndexedDB keeps the handle', async () => {
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(row).toHaveAttribute('data-status', 'uploading');
    expect(await page.evaluate(() => window.pickerCalls)).toBe(1);
    await expect(row).toHaveAttribute('data-upload-id', /.+/);
    const uploadId = (await row.getAttribute('data-upload-id'))!;
    await expect
      .poll(() => rememberedUploads(page))
      .toEqual([{ uploadId, handle: { kind: 'file', name: file.name } }]);
  });
  const uploadId = (await row.getAttribute('data-upload-id'))!;

  let before: UploadStatus;
  await test.step('the server holds chunks 0–2 and half of chunk 3, not the rest', async () => {
    await expect.poll(() => cutDone !== undefined, { timeout: 60_000 }).toBe(true);
    await cutDone;
    const wanted = {
      uploaded: [0, 1, 2],
      partial: [{ index: WHOLE_BEFORE_RELOAD, bytes: CUT_BYTES }],
    };
    // The server records a cut-off chunk's bytes when it sees the connection end: poll.
    await expect
      .poll(async () => {
        const { uploaded, partial } = await serverStatus(page, uploadId);
        return { uploaded: [...uploaded].sort((a, b) => a - b), partial };
      })
      .toEqual(wanted);
    before = await serverStatus(page, uploadId);
    expect(before.bytesReceived).toBe(WHOLE_BEFORE_RELOAD * CHUNK_SIZE + CUT_BYTES);
    expect(before.missing.length).toBe(chunkCount - WHOLE_BEFORE_RELOAD);
  });

  await test.step('reload (the page asks first); the panel offers a one-click Resume, not a re-pick', async () => {
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.accept();
    });
    await page.reload();
    // From here on chunk requests come from the reloaded page only.
    phase.reloaded = true;
    releaseHeld();
    await expect(page.getByRole('heading', { name: 'My files' })).toBeVisible();
    expect(asked).toEqual(['beforeunload']);

    await expect(row).toHaveAttribute('data-status', 'interrupted');
    await expect(row).toHaveAttribute('data-upload-id', uploadId);
    await expect(row.getByRole('button', { name: 'Resume', exact: true })).toBeVisible();
    await expect(row.getByRole('button', { name: 'Resume: pick the file again' })).toHaveCount(0);
    await expect(row.getByRole('button', { name: 'Discard' })).toBeVisible();
    // Nothing was sent while the row waited, and the server still holds what it held.
    expect(sentAfterReload).toEqual([]);
    expect(await serverStatus(page, uploadId)).toEqual(before);
  });

  await test.step('one click resumes from the handle: no file chooser, no picker, only the missing bytes, same upload', async () => {
    const requests = recordRequests(page.context());
    // A file chooser would wait for a pick that never comes: fail at once instead of timing out
    // (listening from before the click: the chooser opens before click() returns).
    const chooserOpened = new Promise<never>((_, reject) =>
      page.once('filechooser', () =>
        reject(new Error('Resume opened a file chooser instead of reading the remembered handle')),
      ),
    );
    chooserOpened.catch(() => {}); // raced below; it may reject before the race listens
    await row.getByRole('button', { name: 'Resume', exact: true }).click();
    await Promise.race([
      chooserOpened,
      expect(row).toHaveAttribute('data-status', 'done', { timeout: 60_000 }),
    ]);
    expect(choosers).toEqual([]);
    expect(await page.evaluate(() => window.pickerCalls)).toBe(0); // this page's picker: unused
    await expect(row).toHaveAttribute('data-upload-id', uploadId);

    // Each missing chunk once; chunk 3 from the byte the server held, the others from 0.
    const sent = [...sentAfterReload].sort((a, b) => a.index - b.index);
    expect(sent.map((s) => s.index)).toEqual(before.missing);
    for (const { index, offset } of sent) {
      expect(offset).toBe(index === WHOLE_BEFORE_RELOAD ? CUT_BYTES : 0);
    }
    const bytesSent = sent.reduce((sum, s) => sum + s.bytes, 0);
    expect(bytesSent).toBeLessThan(file.size);
    expect(bytesSent).toBe(file.size - before.bytesReceived);
    test.info().annotations.push({
      type: 'bytes after reload',
      description: `${bytesSent} of ${file.size} (server held ${before.bytesReceived})`,
    });

    // The same upload was completed: no new one opened.
    const posts = requests.filter((r) => r.method === 'POST').map((r) => r.path);
    expect(posts.filter((path) => path !== '/api/files/instant')).toEqual([
      `/api/uploads/${uploadId}/complete`,
    ]);
    // Finished uploads are forgotten.
    await expect.poll(() => rememberedUploads(page)).toEqual([]);
  });

  await test.step('the drive lists the file and its download equals the original', async () => {
    await expect(fileRow(page, file.name)).toBeVisible();
    await expectDownloadMatches(page, file);
  });
});

/**
 * Sends the first `CUT_BYTES` of a chunk's body to the server as the browser's own request would
 * (its headers, its full Content-Length), then closes the connection.
 */
function sendHalf(url: string, headers: Record<string, string>, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const half = http.request(url, {
      method: 'PUT',
      headers: { ...headers, 'content-length': String(body.length) },
    });
    half.on('error', () => {}); // destroyed on purpose
    half.write(body.subarray(0, CUT_BYTES), (err) => {
      if (err) return reject(err);
      half.destroy();
      resolve();
    });
  });
}
