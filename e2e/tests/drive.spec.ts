// The acceptance flow: two users, drag-and-drop uploads, instant upload of known content
// without sending its bytes, rename, download, delete, log out.
import { expect, test } from '@playwright/test';
import {
  download,
  fileRow,
  registerAndEnter,
  transferRow,
  uniqueUsername,
} from '../support/app.ts';
import { dropFiles } from '../support/drop.ts';
import { scratchFiles, sha1OfFile, type TestFile } from '../support/files.ts';
import { recordRequests } from '../support/network.ts';
import { countApiBytesRead } from '../support/server.ts';

const MB = 1_000_000;

let files: Awaited<ReturnType<typeof scratchFiles>>;
let big: TestFile;
let small: TestFile;

test.beforeAll(async () => {
  files = await scratchFiles();
  big = await files.random('big-20MB.bin', 20 * MB);
  small = await files.random('notes-small.txt', 1500);
});

test.afterAll(async () => {
  await files.remove();
});

test('upload by drop, instant upload for a second user, rename, download, delete, log out', async ({
  page,
  browser,
  baseURL,
}) => {
  await test.step('the first user drops two files and sees them listed', async () => {
    await registerAndEnter(page, uniqueUsername('alice'));
    const received = countApiBytesRead();
    await dropFiles(page, [big.path, small.path]);
    for (const file of [big, small]) {
      await expect(transferRow(page, file.name)).toHaveAttribute('data-status', 'done');
      await expect(fileRow(page, file.name)).toBeVisible();
    }
    // The first copy of this content had to be sent, and the count sees it (so the small count for
    // the second user below means something).
    await expect(transferRow(page, big.name)).not.toContainText('instant');
    expect(received.read()).toBeGreaterThan(big.size);
  });

  // A fresh context: the second user shares nothing with the first but the server.
  const context = await browser.newContext({ baseURL, locale: 'en-US' });
  const second = await context.newPage();
  const renamed = 'renamed-copy.bin';

  await test.step('a second user drops the same 20 MB file over a slow link: sending starts at once, and once the SHA-1 is known the upload is cancelled and finished by instant upload', async () => {
    await registerAndEnter(second, uniqueUsername('bob'));
    // A slow link: each chunk request waits before it goes on, so the hash (read once, in the file
    // worker, ahead of the sending) is known long before the last chunk would be sent.
    await second.route('**/api/uploads/*/chunks/*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await route.continue().catch(() => {}); // aborted by the cancel meanwhile
    });
    const requests = recordRequests(context);
    const received = countApiBytesRead();
    await dropFiles(second, [big.path]);

    const row = transferRow(second, big.name);
    await expect(row).toHaveAttribute('data-status', 'done');
    await expect(row).toContainText('instant upload');
    await expect(fileRow(second, big.name)).toBeVisible();

    expect(requests.filter((r) => r.method === 'POST' && r.path === '/api/files')).toEqual([]);
    // Chunks went out while hashing (v2: init needs no SHA-1), then the partial upload was dropped.
    const puts = requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/api/uploads/'));
    expect(puts.length).toBeGreaterThan(0);
    const uploadPath = puts[0]!.path.replace(/\/chunks\/\d+$/, '');
    expect(requests).toContainEqual({ method: 'DELETE', path: uploadPath });
    expect(requests).toContainEqual({ method: 'POST', path: '/api/files/instant' });
    // Fewer bytes sent than the file: the server read well under its 20 MB.
    expect(received.read()).toBeLessThan(big.size / 2);
  });

  await test.step('the second user renames the file inline', async () => {
    await fileRow(second, big.name).getByRole('button', { name: 'Rename' }).click();
    const field = second.getByLabel(`New name for ${big.name}`);
    await field.fill(renamed);
    await field.press('Enter');
    await expect(fileRow(second, renamed)).toBeVisible();
    await expect(fileRow(second, big.name)).toHaveCount(0);
  });

  await test.step('the download has the original bytes', async () => {
    const saved = await download(second, renamed);
    expect(saved.suggestedName).toBe(renamed);
    expect(await sha1OfFile(saved.path)).toBe(big.sha1);
  });

  await test.step('deleting moves the file to the trash at once, with an Undo', async () => {
    await fileRow(second, renamed).getByRole('button', { name: 'Delete' }).click();
    await expect(fileRow(second, renamed)).toHaveCount(0);
    await expect(second.getByRole('dialog')).toHaveCount(0);
    await expect(second.getByTestId('toast')).toContainText(`“${renamed}” moved to the trash`);
  });

  await test.step('logging out lands on the login page', async () => {
    await second.getByRole('button', { name: 'Log out' }).click();
    await expect(second).toHaveURL(/\/login$/);
    await expect(second.getByRole('heading', { name: 'Log in' })).toBeVisible();
  });

  await context.close();
});
