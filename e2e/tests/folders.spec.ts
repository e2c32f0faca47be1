// Folders in the drive (issue 6, "Tests → Playwright"): create folders, upload into one, drag a
// file into one, navigate by breadcrumbs. Every move is checked again after a reload, so it is the
// server's state, not only what the page shows.
import { expect, test } from '@playwright/test';
import {
  breadcrumbs,
  createFolder,
  fileRow,
  folderRow,
  registerAndEnter,
  transferRow,
  uniqueUsername,
} from '../support/app.ts';
import { scratchFiles, type TestFile } from '../support/files.ts';
import { pickFiles } from '../support/uploads.ts';

let files: Awaited<ReturnType<typeof scratchFiles>>;
let plan: TestFile;
let budget: TestFile;

test.beforeAll(async () => {
  files = await scratchFiles();
  plan = await files.random('plan.txt', 4096);
  budget = await files.random('budget 2026.xlsx', 8192);
});

test.afterAll(async () => {
  await files.remove();
});

test('create folders, drag a file into one and back out by a breadcrumb, navigate by breadcrumbs', async ({
  page,
}) => {
  await registerAndEnter(page, uniqueUsername('dora'));
  await pickFiles(page, [plan.path]);
  await expect(transferRow(page, plan.name)).toHaveAttribute('data-status', 'done');
  await expect(fileRow(page, plan.name)).toBeVisible();

  await test.step('folders are created at the root and inside another folder', async () => {
    await createFolder(page, 'Projects');
    await folderRow(page, 'Projects').getByRole('link', { name: 'Projects' }).click();
    await expect(page).toHaveURL(/\/folders\/[^/]+$/);
    await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
    await expect(page.getByTestId('empty-state')).toContainText('This folder is empty');
    await createFolder(page, '2026');
    await folderRow(page, '2026').getByRole('link', { name: '2026' }).click();
    await expect(page.getByRole('heading', { name: '2026' })).toBeVisible();
    await expect(breadcrumbs(page).getByRole('listitem')).toHaveText([
      'My files',
      'Projects',
      '2026',
    ]);
  });

  await test.step('a file uploaded inside a folder lands in that folder', async () => {
    await pickFiles(page, [budget.path]);
    await expect(transferRow(page, budget.name)).toHaveAttribute('data-status', 'done');
    await page.reload();
    await expect(fileRow(page, budget.name)).toBeVisible();
  });

  await test.step('the breadcrumbs lead back up', async () => {
    await breadcrumbs(page).getByRole('link', { name: 'Projects' }).click();
    await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
    await expect(folderRow(page, '2026')).toBeVisible();
    await breadcrumbs(page).getByRole('link', { name: 'My files' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { name: 'My files' })).toBeVisible();
    await expect(fileRow(page, budget.name)).toHaveCount(0);
  });

  await test.step('a file dragged onto a folder row moves into it', async () => {
    await fileRow(page, plan.name).dragTo(folderRow(page, 'Projects'));
    await expect(fileRow(page, plan.name)).toHaveCount(0);
    await page.reload();
    await expect(folderRow(page, 'Projects')).toBeVisible();
    await expect(fileRow(page, plan.name)).toHaveCount(0);
    await folderRow(page, 'Projects').getByRole('link', { name: 'Projects' }).click();
    await expect(fileRow(page, plan.name)).toBeVisible();
  });

  await test.step('deeper, then dragged onto the root breadcrumb, it is back at the root', async () => {
    await fileRow(page, plan.name).dragTo(folderRow(page, '2026'));
    await expect(fileRow(page, plan.name)).toHaveCount(0);
    await folderRow(page, '2026').getByRole('link', { name: '2026' }).click();
    await expect(fileRow(page, plan.name)).toBeVisible();
    await fileRow(page, plan.name).dragTo(
      breadcrumbs(page).getByRole('link', { name: 'My files' }),
    );
    await expect(fileRow(page, plan.name)).toHaveCount(0);
    await breadcrumbs(page).getByRole('link', { name: 'My files' }).click();
    await page.reload();
    await expect(fileRow(page, plan.name)).toBeVisible();
  });
});
