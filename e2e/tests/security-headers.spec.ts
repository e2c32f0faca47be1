// Issue 10, items 6 and 11 in the browser: the SPA runs under its Content-Security-Policy (no inline
// script, no framing) without one violation while it signs up, uploads (the hash workers compile
// WebAssembly) and shares with a long code; its own POSTs pass the CSRF check.
import { expect, test } from '@playwright/test';
import { fileRow, registerAndEnter, transferRow, uniqueUsername } from '../support/app.ts';
import { scratchFiles } from '../support/files.ts';
import { pickFiles } from '../support/uploads.ts';

const LONG_CODE = /^[2-9A-HJKMNP-Z]{8}$/;

test('the SPA works under its CSP and CSRF check; the share dialog offers a long code', async ({
  page,
}) => {
  const files = await scratchFiles();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|csrf/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });

  await test.step('the page and its headers', async () => {
    const answer = (await page.goto('/register'))!;
    const csp = answer.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(answer.headers()['x-content-type-options']).toBe('nosniff');
    expect(answer.headers()['referrer-policy']).toBe('same-origin');
    expect(answer.headers()['x-frame-options']).toBe('DENY');
    // The built page has no inline script: every <script> has a src.
    const html = await answer.text();
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => / src=/.test(tag))).toBe(true);
  });

  await registerAndEnter(page, uniqueUsername('casey'));
  const note = await files.random('csp note.bin', 300_000);
  await pickFiles(page, [note.path]);
  await expect(transferRow(page, note.name)).toHaveAttribute('data-status', 'done');

  await test.step('a link with a long code', async () => {
    await fileRow(page, note.name).getByRole('button', { name: 'Share' }).click();
    const dialog = page.getByRole('dialog', { name: `Share “${note.name}”` });
    await dialog.getByLabel('Long code (8 characters, far harder to guess)').check();
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await expect(dialog.getByLabel('Extraction code')).toHaveValue(LONG_CODE);
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  await test.step('log out (a POST with the cookie) works from our own page', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/login$/);
  });

  expect(violations).toEqual([]);
  await files.remove();
});
