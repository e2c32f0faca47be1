// A real drag-and-drop of files from disk. Playwright cannot drag OS files, so the test picks them
// with a throwaway <input type=file> (real File objects, no bytes through the test protocol) and
// dispatches dragenter/dragover/drop carrying them, as the browser does for an OS drag.
import type { Locator, Page } from '@playwright/test';

export async function dropFiles(
  page: Page,
  paths: string[],
  target: Locator = page.locator('body'),
): Promise<void> {
  const picker = await page.evaluateHandle(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.hidden = true;
    document.body.append(input);
    return input;
  });
  await picker.setInputFiles(paths);
  const dataTransfer = await page.evaluateHandle((input) => {
    const transfer = new DataTransfer();
    for (const file of Array.from(input.files ?? [])) transfer.items.add(file);
    input.remove();
    return transfer;
  }, picker);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await target.dispatchEvent(type, { dataTransfer });
  }
}
