// Everyday drive work (issue 6, "Folders and everyday drive work"): the quota bar, sorting by
// name, size and date, the viewer (text and a picture), multi-select download as one zip, move and
// delete (to the trash, no question asked), and search across folders. The playwright config gives every user a 1 GB quota (DEFAULT_QUOTA_BYTES).
import { expect, test, type Page } from '@playwright/test';
import {
  createFolder,
  fileRow,
  folderRow,
  registerAndEnter,
  transferRow,
  uniqueUsername,
} from '../support/app.ts';
import { scratchFiles, type TestFile } from '../support/files.ts';
import { pickFiles } from '../support/uploads.ts';
import { zipEntries } from '../support/zip.ts';

let files: Awaited<ReturnType<typeof scratchFiles>>;
let alpha: TestFile;
let beta: TestFile;
let gamma: TestFile;
let pixel: TestFile;

/** A 1×1 PNG. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

test.beforeAll(async () => {
  files = await scratchFiles();
  alpha = await files.write('alpha notes.txt', 'Hello from the viewer.\n第二行：中文也能显示。\n');
  beta = await files.random('beta.bin', 300_000);
  gamma = await files.random('gamma.bin', 100_000);
  pixel = await files.write('pixel.png', Buffer.from(PNG_BASE64, 'base64'));
});

test.afterAll(async () => {
  await files.remove();
});

/** Clicks a column's header to sort by it (again: the other way). */
const sortBy = (page: Page, column: string) =>
  page.getByRole('columnheader', { name: column }).getByRole('button').click();

/** The file names in the table, top to bottom. */
const fileNames = (page: Page) => page.getByTestId('file-row').locator('td.file-name');

test('quota bar, sorting, viewer, multi-select zip, move and delete, search across folders', async ({
  page,
}) => {
  await registerAndEnter(page, uniqueUsername('erin'));
  await pickFiles(page, [alpha.path, beta.path, gamma.path]);
  for (const file of [alpha, beta, gamma]) {
    await expect(transferRow(page, file.name)).toHaveAttribute('data-status', 'done');
  }

  await test.step('the header shows the storage used out of the quota', async () => {
    const meter = page.getByRole('meter', { name: 'Storage used' });
    const used = alpha.size + beta.size + gamma.size; // 391 KB
    await expect(meter).toHaveAttribute(
      'aria-valuetext',
      `${Math.round(used / 1024)} KB of 1.0 GB used`,
    );
    await expect(meter).toHaveAttribute('aria-valuenow', '0');
  });

  await test.step('columns sort by name, size and date, and the order is kept in the URL', async () => {
    await sortBy(page, 'Name');
    await expect(fileNames(page)).toHaveText([alpha.name, beta.name, gamma.name]);
    await expect(page.getByRole('columnheader', { name: 'Name' })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    await sortBy(page, 'Name');
    await expect(fileNames(page)).toHaveText([gamma.name, beta.name, alpha.name]);
    await sortBy(page, 'Size');
    await expect(page).toHaveURL(/sort=size&order=desc/);
    await page.reload();
    await expect(fileNames(page)).toHaveText([beta.name, gamma.name, alpha.name]);
    await sortBy(page, 'Size');
    await expect(fileNames(page)).toHaveText([alpha.name, gamma.name, beta.name]);
  });

  await test.step('a text file opens in the viewer', async () => {
    await fileRow(page, alpha.name).getByRole('button', { name: alpha.name }).click();
    const viewer = page.getByRole('dialog', { name: alpha.name });
    await expect(viewer.getByTestId('viewer-text')).toHaveText(
      'Hello from the viewer.\n第二行：中文也能显示。\n',
    );
    await viewer.getByRole('button', { name: 'Close' }).click();
    await expect(viewer).toBeHidden();
  });

  await test.step('a picture opens in the viewer from the inline content URL', async () => {
    await pickFiles(page, [pixel.path]);
    await fileRow(page, pixel.name).getByRole('button', { name: pixel.name }).click();
    const picture = page.getByRole('dialog', { name: pixel.name }).getByRole('img');
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    await page.keyboard.press('Escape');
    await fileRow(page, pixel.name).getByRole('button', { name: 'Delete' }).click();
    await expect(fileRow(page, pixel.name)).toHaveCount(0);
  });

  await test.step('two selected files download as one zip with their bytes', async () => {
    await page.getByLabel(`Select ${beta.name}`).check();
    await page.getByLabel(`Select ${gamma.name}`).check();
    const bar = page.getByRole('toolbar', { name: 'Selected items' });
    await expect(bar).toContainText('2 selected');
    const [saved] = await Promise.all([
      page.waitForEvent('download'),
      bar.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(saved.suggestedFilename()).toBe('files.zip');
    const entries = await zipEntries(await saved.path());
    expect(Object.fromEntries(entries)).toEqual({
      [beta.name]: beta.sha1,
      [gamma.name]: gamma.sha1,
    });
  });

  await test.step('the selection moves into a folder chosen in the Move dialog', async () => {
    await createFolder(page, 'Archive');
    const bar = page.getByRole('toolbar', { name: 'Selected items' });
    await bar.getByRole('button', { name: 'Move to…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move 2 items' });
    await dialog.getByRole('button', { name: 'Archive' }).click();
    await dialog.getByRole('button', { name: 'Move here' }).click();
    await expect(dialog).toBeHidden();
    await expect(fileRow(page, beta.name)).toHaveCount(0);
    await expect(fileRow(page, gamma.name)).toHaveCount(0);
    await expect(bar).toBeHidden();
  });

  await test.step('search finds a file inside a folder from the root', async () => {
    await page.getByRole('searchbox').fill('gamm');
    await expect(page.getByText('Showing matches from all folders')).toBeVisible();
    await expect(fileNames(page)).toHaveText([gamma.name]);
    await page.getByRole('searchbox').fill('');
    await expect(fileNames(page)).toHaveText([alpha.name]);
  });

  await test.step('everything selected in a folder moves to the trash without a question', async () => {
    await folderRow(page, 'Archive').getByRole('link', { name: 'Archive' }).click();
    await expect(fileNames(page)).toHaveCount(2);
    await page.getByLabel('Select all').check();
    await page
      .getByRole('toolbar', { name: 'Selected items' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByTestId('toast').first()).toContainText('2 items moved to the trash');
    await expect(page.getByTestId('empty-state')).toContainText('This folder is empty');
    // Trashed files still count toward the quota until they are purged.
    const used = alpha.size + beta.size + gamma.size + pixel.size;
    await expect(page.getByRole('meter', { name: 'Storage used' })).toHaveAttribute(
      'aria-valuetext',
      `${Math.round(used / 1024)} KB of 1.0 GB used`,
    );
  });
});
