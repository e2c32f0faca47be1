import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import {
  download,
  fileRow,
  registerAndEnter,
  transferRow,
  uniqueUsername,
} from '../support/app.ts';
import { sha1Of } from '../support/files.ts';

test('a Chinese file name survives upload and download', async ({ page }) => {
  const name = '季度报告 2024（终稿）.txt';
  const bytes = Buffer.from('第一季度：收入增长。\nQ1: revenue up.\n', 'utf8');
  await registerAndEnter(page, uniqueUsername('dave'));

  await page
    .getByTestId('file-input')
    .setInputFiles({ name, mimeType: 'text/plain', buffer: bytes });

  await expect(transferRow(page, name)).toHaveAttribute('data-status', 'done');
  await expect(fileRow(page, name)).toBeVisible();
  const saved = await download(page, name);
  expect(saved.suggestedName).toBe(name);
  expect(sha1Of(await readFile(saved.path))).toBe(sha1Of(bytes));
});
