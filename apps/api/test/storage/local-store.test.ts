import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { LocalStore } from '../../src/storage/local-store.ts';
import { runObjectStoreContract } from './object-store-contract.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'filestore-objects-'));
const store = new LocalStore(root);
beforeAll(() => store.check());
afterAll(() => rmSync(root, { recursive: true, force: true }));

runObjectStoreContract('local', () => store, { multipartThreshold: 256 * 1024 });
