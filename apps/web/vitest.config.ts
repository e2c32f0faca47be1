import { defineConfig } from 'vitest/config';

// Unit tests cover pure logic (formatting, i18n, hashing over Blobs); Node has Blob and WebAssembly.
export default defineConfig({
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
});
