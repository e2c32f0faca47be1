import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { LocalObjectStore } from '../../src/storage/local-object-store.ts';
import { runObjectStoreContract } from './object-store-contract.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'filestore-objects-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

runObjectStoreContract('local', () => new LocalObjectStore(root), {
  multipartThreshold: 256 * 1024,
});
