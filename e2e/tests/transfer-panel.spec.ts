// The transfer panel (issue 11): failed uploads are not counted as done, no Retry for an error
// retrying cannot fix, the newest transfer on top, and a panel that folds to a small bar.
import { expect, test } from '@playwright/test';
import { fileRow, registerAndEnter, transferRow, uniqueUsername } from '../support/app.ts';
import { scratchFiles } from '../support/files.ts';
import { pickFiles } from '../support/uploads.ts';

let files: Awaited<ReturnType<typeof scratchFiles>>;

test.beforeAll(async () => {
  files = await scratchFiles();
});

test.afterAll(async () => {
  await files.remove();
});

test('"2 of 3 done, 1 failed", no Retry for a full quota, newest on top, folds to a bar', async ({
  page,
}) => {
  const [first, second, full] = await Promise.all([
    files.random('first.bin', 3_000_000),
    files.random('second.bin', 1_000),
    files.random('too-much.bin', 5_000),
  ]);
  await registerAndEnter(page, uniqueUsername('tess'));
  // The server refuses one upload for good: the quota is spent.
  await page.route('**/api/uploads', async (route) => {
    const body = route.request().postDataJSON() as { name?: string } | null;
    if (route.request().method() !== 'POST' || body?.name !== full.name) return route.fallback();
    const error = { code: 'quota_exceeded', message: 'Not enough room' };
    return route.fulfill({ status: 413, json: { error } });
  });

  await pickFiles(page, [first.path]);
  await expect(transferRow(page, first.name)).toHaveAttribute('data-status', 'done');
  await pickFiles(page, [second.path, full.path]);
  await expect(transferRow(page, second.name)).toHaveAttribute('data-status', 'done');
  const failed = transferRow(page, full.name);
  await expect(failed).toHaveAttribute('data-status', 'failed');

  const panel = page.getByRole('region', { name: 'Transfers' });
  await expect(panel.getByTestId('transfer-summary')).toHaveText('2 of 3 done, 1 failed');
  await expect(failed).toContainText('Not enough room left in your storage quota');
  await expect(failed.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expect(failed.getByRole('button', { name: 'Cancel' })).toBeVisible();
  // The newest first: the first file picked is at the bottom.
  await expect(panel.getByTestId('transfer-row').last()).toHaveAttribute('data-status', 'done');
  await expect(panel.getByTestId('transfer-row').last()).toContainText(first.name);

  // Folded: a small bar with the summary, the rows hidden, and the drive's rows clear of it.
  await panel.getByRole('button', { name: 'Hide' }).click();
  await expect(panel.getByTestId('transfer-row').first()).toBeHidden();
  await expect(panel.getByTestId('transfer-summary')).toBeVisible();
  const bar = await panel.boundingBox();
  expect(bar!.height).toBeLessThan(60);
  const rename = fileRow(page, first.name).getByRole('button', { name: 'Rename' });
  await rename.scrollIntoViewIfNeeded();
  const box = (await rename.boundingBox())!;
  const onTop = await page.evaluate(
    ({ x, y }) => document.elementFromPoint(x, y)?.closest('button')?.textContent,
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
  );
  expect(onTop).toBe('Rename');

  await panel.getByRole('button', { name: 'Show' }).click();
  await expect(failed).toBeVisible();
});
