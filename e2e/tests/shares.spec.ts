// Share links (issue 6, "Tests → Playwright"): share a file with a code, open the link in a fresh
// browser context, wrong code then right code, download and compare bytes, save into a second
// user's drive, revoke and see the page say the link is gone.
import { expect, test, type Page } from '@playwright/test';
import { fileRow, registerAndEnter, transferRow, uniqueUsername } from '../support/app.ts';
import { scratchFiles, sha1OfFile, type TestFile } from '../support/files.ts';
import { pickFiles } from '../support/uploads.ts';

const MB = 1_000_000;
/** The code's alphabet (the contract's SHARE_CODE_ALPHABET): no 0/O or 1/I/L. */
const CODE = /^[2-9A-HJKMNP-Z]{4}$/;

let files: Awaited<ReturnType<typeof scratchFiles>>;
let report: TestFile;

test.beforeAll(async () => {
  files = await scratchFiles();
  report = await files.random('quarterly report.bin', 3 * MB);
});

test.afterAll(async () => {
  await files.remove();
});

/** A code of the right shape that is not `code`. */
const wrongCodeFor = (code: string) => (code[0] === 'A' ? 'B' : 'A') + code.slice(1);

async function enterCode(page: Page, code: string) {
  await page.getByLabel('Extraction code').fill(code);
  await page.getByRole('button', { name: 'Open' }).click();
}

test('a link with a code: wrong then right code, download, save to a second drive, revoke', async ({
  page,
  browser,
  baseURL,
}) => {
  const owner = uniqueUsername('olga');
  await registerAndEnter(page, owner);
  await pickFiles(page, [report.path]);
  await expect(transferRow(page, report.name)).toHaveAttribute('data-status', 'done');

  const { link, code } = await test.step('the owner creates a link with a code', async () => {
    await fileRow(page, report.name).getByRole('button', { name: 'Share' }).click();
    const dialog = page.getByRole('dialog', { name: `Share “${report.name}”` });
    await dialog.getByLabel('7 days').check();
    await expect(dialog.getByLabel('Require an extraction code')).toBeChecked();
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const created = {
      link: await dialog.getByLabel('Link').inputValue(),
      code: await dialog.getByLabel('Extraction code').inputValue(),
    };
    expect(created.link).toMatch(new RegExp(`^${baseURL}/s/[0-9A-Za-z]{22,}$`));
    expect(created.code).toMatch(CODE);
    await expect(dialog).toContainText('Expires');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();
    return created;
  });

  // A fresh context: no session, no cookies, nothing in common with the owner but the link.
  const visitorContext = await browser.newContext({ baseURL, locale: 'en-US' });
  const visitor = await visitorContext.newPage();

  await test.step('a visitor is asked for the code; a wrong one is refused, the right one opens', async () => {
    await visitor.goto(link);
    await expect(visitor.getByText('This link is protected.')).toBeVisible();
    await expect(visitor.getByTestId('public-share')).toHaveCount(0);
    await enterCode(visitor, wrongCodeFor(code));
    await expect(visitor.getByRole('alert')).toHaveText('That code is not right');
    await enterCode(visitor, code.toLowerCase()); // typed in any case
    const card = visitor.getByTestId('public-share');
    await expect(card.getByRole('heading', { name: report.name })).toBeVisible();
    await expect(card).toContainText(owner);
    await expect(card).toContainText('2.9 MB');
  });

  await test.step('the download has the original bytes', async () => {
    const [saved] = await Promise.all([
      visitor.waitForEvent('download'),
      visitor.getByRole('link', { name: 'Download' }).click(),
    ]);
    expect(saved.suggestedFilename()).toBe(report.name);
    expect(await sha1OfFile(await saved.path())).toBe(report.sha1);
  });

  const second = uniqueUsername('pavel');
  await test.step('the visitor signs up from the page and saves the file into their drive', async () => {
    await visitor.getByRole('link', { name: 'Log in to save it to your drive' }).click();
    await visitor.getByRole('link', { name: 'Create one' }).click();
    await visitor.getByLabel('Username').fill(second);
    await visitor.getByLabel('Password').fill('correct horse battery');
    await visitor.getByRole('button', { name: 'Create account' }).click();
    // Back on the share page, logged in now; the code is asked again (it was never stored).
    await expect(visitor).toHaveURL(link);
    await enterCode(visitor, code);
    await visitor.getByRole('button', { name: 'Save to my drive' }).click();
    await expect(visitor.getByRole('status')).toContainText('Saved to your drive');
    await visitor.getByRole('link', { name: 'Open My files' }).click();
    await expect(fileRow(visitor, report.name)).toBeVisible();
  });

  await test.step('the owner sees the link in My shares and revokes it', async () => {
    await page.getByRole('link', { name: 'My shares' }).click();
    await expect(page.getByRole('heading', { name: 'My shares' })).toBeVisible();
    const row = page.getByTestId('share-row').filter({ hasText: report.name });
    // The download and the save: a save counts as a download (issue 10, item 5).
    await expect(row).toContainText('Downloads 2');
    await row.getByRole('button', { name: 'Revoke' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this link?' });
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toHaveCount(0);
  });

  await test.step('the link now says it is gone; the saved copy survives', async () => {
    const page2 = await visitorContext.newPage();
    await page2.goto(link);
    await expect(page2.getByTestId('share-gone')).toContainText('This link is gone');
    await page2.close();
    await visitor.reload();
    await expect(fileRow(visitor, report.name)).toBeVisible();
  });

  await visitorContext.close();
});
