import { expect, test } from '@playwright/test';
import { logIn, registerAndEnter, uniqueUsername } from '../support/app.ts';

test('a wrong password is refused in words, and the user stays on the login page', async ({
  page,
}) => {
  const username = uniqueUsername('carol');
  await registerAndEnter(page, username);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);

  await logIn(page, username, 'not the password');

  await expect(page.getByRole('alert')).toHaveText('Wrong username or password');
  await expect(page).toHaveURL(/\/login$/);
});

test('the drive sends a visitor without a session to the login page', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
});
