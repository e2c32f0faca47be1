// Nothing is lost by one click (issue 13, "Tests → Playwright"): delete → undo; delete → trash →
// restore → the share link works again; replace on conflict → versions panel → restore the old
// content → download and compare bytes; empty trash frees the quota.
import { expect, test, type Page } from '@playwright/test';
import {
  createFolder,
  fileRow,
  folderRow,
  registerAndEnter,
  transferRow,
  uniqueUsername,
} from '../support/app.ts';
import { scratchFiles, sha1OfFile, type TestFile } from '../support/files.ts';
import { expectDownloadMatches, pickFiles } from '../support/uploads.ts';

let older: Awaited<ReturnType<typeof scratchFiles>>;
let newer: Awaited<ReturnType<typeof scratchFiles>>;
/** Two contents under one name, from two directories: the second upload clashes with the first. */
let reportV1: TestFile;
let reportV2: TestFile;
let notes: TestFile;

test.beforeAll(async () => {
  older = await scratchFiles();
  newer = await scratchFiles();
  reportV1 = await older.random('report.bin', 400_000);
  reportV2 = await newer.random('report.bin', 250_000);
  notes = await older.random('notes.bin', 3 * 1024 * 1024);
});

test.afterAll(async () => {
  await older.remove();
  await newer.remove();
});

async function upload(page: Page, file: TestFile) {
  await pickFiles(page, [file.path]);
  await expect(transferRow(page, file.name).last()).toHaveAttribute('data-status', 'done');
  await expect(fileRow(page, file.name)).toBeVisible();
}

const usage = (page: Page) => page.getByTestId('usage');
const trashRow = (page: Page, name: string) =>
  page.getByTestId('trash-row').filter({ has: page.getByText(name, { exact: true }) });

async function openTrash(page: Page) {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Trash' })
    .click();
  await expect(page.getByRole('heading', { name: 'Trash' })).toBeVisible();
}

test('delete moves to the trash without asking, and Undo brings the file back', async ({
  page,
}) => {
  await registerAndEnter(page, uniqueUsername('uma'));
  await upload(page, notes);

  await fileRow(page, notes.name).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(fileRow(page, notes.name)).toHaveCount(0);
  const toast = page.getByTestId('toast');
  await expect(toast).toHaveText(new RegExp(`^“${notes.name}” moved to the trash`));
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(toast).toHaveAttribute('data-status', 'undone');
  await expect(toast).toContainText('Undone');
  await expect(fileRow(page, notes.name)).toBeVisible();
  await expectDownloadMatches(page, notes);

  await openTrash(page);
  await expect(page.getByTestId('trash-empty')).toContainText('The trash is empty');
});

test('a trashed file’s share link is gone, and works again once the file is restored', async ({
  page,
  browser,
  baseURL,
}) => {
  await registerAndEnter(page, uniqueUsername('rita'));
  await upload(page, notes);

  await fileRow(page, notes.name).getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: `Share “${notes.name}”` });
  await dialog.getByLabel('Require an extraction code').uncheck();
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const link = await dialog.getByLabel('Link').inputValue();
  await dialog.getByRole('button', { name: 'Done' }).click();

  const visitorContext = await browser.newContext({ baseURL, locale: 'en-US' });
  const visitor = await visitorContext.newPage();
  const expectLinkDownloads = async () => {
    await visitor.goto(link);
    const [saved] = await Promise.all([
      visitor.waitForEvent('download'),
      visitor.getByRole('link', { name: 'Download' }).click(),
    ]);
    expect(await sha1OfFile(await saved.path())).toBe(notes.sha1);
  };
  await expectLinkDownloads();

  await test.step('deleted: the link says it is gone', async () => {
    await fileRow(page, notes.name).getByRole('button', { name: 'Delete' }).click();
    await expect(fileRow(page, notes.name)).toHaveCount(0);
    await visitor.goto(link);
    await expect(visitor.getByTestId('share-gone')).toContainText('This link is gone');
  });

  await test.step('the trash lists it with its size and dates; Restore puts it back', async () => {
    await openTrash(page);
    await expect(page.getByTestId('trash-quota-note')).toContainText('count toward your storage');
    const row = trashRow(page, notes.name);
    await expect(row).toContainText('3.0 MB');
    await expect(row).toContainText('/');
    await row.getByRole('button', { name: 'Restore' }).click();
    await expect(page.getByTestId('toast').last()).toContainText(
      `“${notes.name}” is back in your drive`,
    );
    await expect(page.getByTestId('trash-empty')).toBeVisible();
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: 'My files' })
      .click();
    await expect(fileRow(page, notes.name)).toBeVisible();
  });

  await test.step('the same link works again', expectLinkDownloads);
  await visitorContext.close();
});

test('replace on conflict keeps the old content as a version; restoring it brings its bytes back', async ({
  page,
}) => {
  await registerAndEnter(page, uniqueUsername('vera'));
  await upload(page, reportV1);

  await test.step('the same name again asks, and Replace replaces', async () => {
    await pickFiles(page, [reportV2.path]);
    const dialog = page.getByRole('dialog', { name: 'A file with this name is already here' });
    await expect(dialog).toContainText(`“${reportV2.name}” is already in this folder.`);
    await dialog.getByRole('button', { name: 'Replace' }).click();
    await expect(dialog).toBeHidden();
    await expect(transferRow(page, reportV2.name).last()).toHaveAttribute('data-status', 'done');
    await expect(fileRow(page, reportV2.name)).toHaveCount(1); // no "report (1).bin"
    await expect(fileRow(page, reportV2.name)).toContainText('244 KB');
    await expectDownloadMatches(page, reportV2);
  });

  await test.step('the Versions panel lists the old content; its download has the old bytes', async () => {
    await fileRow(page, reportV1.name).getByRole('button', { name: 'Versions' }).click();
    const panel = page.getByRole('dialog', { name: `Versions of “${reportV1.name}”` });
    await expect(panel).toContainText('Earlier versions count toward your storage quota.');
    const versions = panel.getByTestId('version-row');
    await expect(versions).toHaveCount(1);
    await expect(versions).toContainText('391 KB');
    const [saved] = await Promise.all([
      page.waitForEvent('download'),
      versions.getByRole('link', { name: /^Download version of / }).click(),
    ]);
    expect(await sha1OfFile(await saved.path())).toBe(reportV1.sha1);

    await versions.getByRole('button', { name: 'Restore' }).click();
    await expect(panel.getByRole('status')).toContainText('Restored');
    // The content it replaced is a version now.
    await expect(versions).toHaveCount(1);
    await expect(versions).toContainText('244 KB');
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  await test.step('the file downloads with the restored (old) bytes', async () => {
    await expect(fileRow(page, reportV1.name)).toContainText('391 KB');
    await expectDownloadMatches(page, reportV1);
  });
});

test('a rename to a taken name says so; a move offers Undo and keeps the modified time', async ({
  page,
}) => {
  await registerAndEnter(page, uniqueUsername('xena'));
  await upload(page, reportV1);
  await upload(page, notes);

  await test.step('renaming onto a taken name is refused with the reason', async () => {
    await fileRow(page, notes.name).getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel(`New name for ${notes.name}`).fill(reportV1.name);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('alert')).toHaveText(
      'That name is already taken here; choose another',
    );
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(fileRow(page, notes.name)).toBeVisible();
    await expect(fileRow(page, `${reportV1.name.replace('.bin', '')} (1).bin`)).toHaveCount(0);
  });

  await test.step('a file dragged onto a folder moves; Undo brings it back', async () => {
    await createFolder(page, 'Old');
    const modified = await fileRow(page, notes.name).locator('time').getAttribute('datetime');
    await fileRow(page, notes.name).dragTo(folderRow(page, 'Old'));
    await expect(fileRow(page, notes.name)).toHaveCount(0);
    const toast = page.getByTestId('toast');
    await expect(toast).toHaveText(new RegExp(`^“${notes.name}” moved`));
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect(toast).toHaveAttribute('data-status', 'undone');
    await expect(fileRow(page, notes.name)).toBeVisible();
    // Moved there and back: its modified time is still the upload's.
    await expect(fileRow(page, notes.name).locator('time')).toHaveAttribute('datetime', modified!);
  });
});

test('emptying the trash frees the quota', async ({ page }) => {
  await registerAndEnter(page, uniqueUsername('wade'));
  await upload(page, notes);
  await expect(usage(page)).toContainText('3.0 MB of 1.0 GB used');

  await fileRow(page, notes.name).getByRole('button', { name: 'Delete' }).click();
  await expect(fileRow(page, notes.name)).toHaveCount(0);
  // In the trash it still counts.
  await page.reload();
  await expect(usage(page)).toContainText('3.0 MB of 1.0 GB used');

  await openTrash(page);
  await expect(trashRow(page, notes.name)).toBeVisible();
  await page.getByRole('button', { name: 'Empty trash' }).click();
  const dialog = page.getByRole('dialog', { name: 'Empty the trash?' });
  await dialog.getByRole('button', { name: 'Empty trash' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('trash-empty')).toBeVisible();
  await expect(usage(page)).toContainText('0 B of 1.0 GB used');
});
