// The app as a user sees it, by role and label (English UI: the config sets locale en-US).
import { expect, type Locator, type Page } from '@playwright/test';

export const PASSWORD = 'correct horse battery';

let counter = 0;
/** A username no other test of this run uses (the data dir is fresh per run). */
export const uniqueUsername = (prefix: string) =>
  `${prefix}${Date.now().toString(36)}${(counter += 1)}`;

async function submitCredentials(page: Page, username: string, password: string, button: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: button }).click();
}

/** Creates an account on /register; the app logs the new user in and opens the drive. */
export async function registerAndEnter(page: Page, username: string): Promise<void> {
  await page.goto('/register');
  await submitCredentials(page, username, PASSWORD, 'Create account');
  await expect(page.getByRole('heading', { name: 'My files' })).toBeVisible();
}

export async function logIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await submitCredentials(page, username, password, 'Log in');
}

/** The drive's table row showing exactly this file name. */
export const fileRow = (page: Page, name: string): Locator =>
  page.getByTestId('file-row').filter({ has: page.getByText(name, { exact: true }) });

/** The transfer panel's row for this file name. */
export const transferRow = (page: Page, name: string): Locator =>
  page.getByTestId('transfer-row').filter({ has: page.getByText(name, { exact: true }) });

/** Clicks the row's Download link and returns the saved file's path and suggested name. */
export async function download(
  page: Page,
  name: string,
): Promise<{ path: string; suggestedName: string }> {
  const [saved] = await Promise.all([
    page.waitForEvent('download'),
    fileRow(page, name).getByRole('link', { name: 'Download' }).click(),
  ]);
  return { path: await saved.path(), suggestedName: saved.suggestedFilename() };
}

/** The drive's table row showing exactly this folder name. */
export const folderRow = (page: Page, name: string): Locator =>
  page.getByTestId('folder-row').filter({ has: page.getByText(name, { exact: true }) });

/** The breadcrumbs above the table ("My files / Projects / 2026"). */
export const breadcrumbs = (page: Page): Locator =>
  page.getByRole('navigation', { name: 'Folder path' });

/** Creates a folder inside the open one with the "New folder" dialog. */
export async function createFolder(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New folder' }).click();
  const dialog = page.getByRole('dialog', { name: 'New folder' });
  await dialog.getByLabel('Folder name').fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(folderRow(page, name)).toBeVisible();
}
