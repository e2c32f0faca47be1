// Issue 10, item 8: complete is idempotent per upload. A failure after the file row was written
// must not make the client's retry create "name (1).bin" and charge the quota twice; concurrent
// completes make one file; a holder working longer than its claim's lease keeps it.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLAIM_LEASE_MS } from '../src/uploads/repository.ts';
import { type Client, expectError, newUser, sha1Of } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const CHUNK = 64 * 1024;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ CHUNK_SIZE: String(CHUNK) });
});
afterAll(() => server.stop());

/** An upload with every chunk sent, ready to complete. */
async function readyUpload(user: Client, name: string, bytes = randomBytes(4 * CHUNK + 123)) {
  const body = { name, size: bytes.length, sha1: sha1Of(bytes) };
  const { uploadId, chunkCount } = (await user.call('POST', '/api/uploads', body)).body;
  for (let i = 0; i < chunkCount; i++) {
    const sent = await user.putChunk(uploadId, i, bytes.subarray(i * CHUNK, (i + 1) * CHUNK));
    expect(sent.status).toBe(204);
  }
  return {
    uploadId,
    bytes,
    complete: () => user.call('POST', `/api/uploads/${uploadId}/complete`),
  };
}

/** One file of that content in the user's drive, one reference to it, its bytes charged once. */
async function expectOneFile(user: Client, name: string, bytes: Buffer) {
  const items = (await user.call('GET', '/api/files')).body.items;
  expect(items.map((item: { name: string }) => item.name)).toEqual([name]);
  expect((await user.call('GET', '/api/me')).body.user.usedBytes).toBe(bytes.length);
  const sha1 = sha1Of(bytes);
  const [row] = await server.query<{ ref_count: number }>(
    `SELECT ref_count FROM file_${sha1.slice(-2)} WHERE sha1 = ?`,
    [sha1],
  );
  expect(Number(row!.ref_count)).toBe(1);
  return items[0].id as string;
}

/** Makes every UPDATE that marks an upload completed fail, as a database fault would. */
async function failCompletedMarks(): Promise<() => Promise<void>> {
  if (server.services.sequelize.getDialect() === 'sqlite') {
    await server.query(
      `CREATE TRIGGER fail_completed BEFORE UPDATE ON uploads WHEN NEW.state = 'completed'
       BEGIN SELECT RAISE(ABORT, 'injected fault'); END`,
    );
  } else {
    await server.query(
      `CREATE TRIGGER fail_completed BEFORE UPDATE ON uploads FOR EACH ROW
       BEGIN IF NEW.state = 'completed' THEN
         SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected fault'; END IF; END`,
    );
  }
  return async () => void (await server.query('DROP TRIGGER fail_completed'));
}

it('a fault in the completed mark: the retry makes the one file, charged once, no " (1)"', async () => {
  const user = await newUser(server.baseUrl);
  const { bytes, complete } = await readyUpload(user, 'report.bin');
  const heal = await failCompletedMarks();
  try {
    expectError(await complete(), 500, 'internal_error');
  } finally {
    await heal();
  }
  const retried = await complete();
  expect(retried.status).toBe(201);
  expect(retried.body.file.name).toBe('report.bin');
  expect(await expectOneFile(user, 'report.bin', bytes)).toBe(retried.body.file.id);
  // Asked again, the same file.
  expect((await complete()).body.file.id).toBe(retried.body.file.id);
});

it('20 concurrent completes: one file, and every answer is that file', async () => {
  const user = await newUser(server.baseUrl);
  const { bytes, complete } = await readyUpload(user, 'crowd.bin');
  const answers = await Promise.all(Array.from({ length: 20 }, complete));
  expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
  const id = await expectOneFile(user, 'crowd.bin', bytes);
  expect(new Set(answers.map((answer) => answer.body.file.id))).toEqual(new Set([id]));
});

it('a completion that outlasts its lease keeps its claim while it works', async () => {
  const user = await newUser(server.baseUrl);
  const { uploadId, bytes, complete } = await readyUpload(user, 'slow.bin');
  // Putting the staged bytes in place is slow: it takes longer than a claim lasts unrenewed.
  const { staging } = server.services.uploads;
  const linkTo = staging.linkTo;
  let assemblies = 0;
  staging.linkTo = async function (id, target) {
    assemblies += 1;
    await new Promise((resolve) => setTimeout(resolve, CLAIM_LEASE_MS + 2000));
    return linkTo.call(staging, id, target);
  };
  try {
    const first = complete();
    // The second arrives while the first works, and waits for it instead of taking over.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = complete();
    const answers = await Promise.all([first, second]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    expect(answers[1]!.body.file.id).toBe(answers[0]!.body.file.id);
    expect(assemblies).toBe(1);
  } finally {
    staging.linkTo = linkTo;
  }
  await expectOneFile(user, 'slow.bin', bytes);
  const [upload] = await server.query<{ state: string }>('SELECT state FROM uploads WHERE id = ?', [
    uploadId,
  ]);
  expect(upload!.state).toBe('completed');
});
