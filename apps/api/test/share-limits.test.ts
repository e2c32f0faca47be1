// A share's download limit holds: every response that serves bytes counts (a range resuming a
// counted download from the same address may continue for a while), and a save counts too.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, expectError, fromAddress, newUser } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const QUOTA = 100_000;
let server: TestServer;
let addresses = 0;

beforeAll(async () => {
  server = await startTestServer({ DEFAULT_QUOTA_BYTES: String(QUOTA) });
});
afterAll(() => server.stop());

const visitor = () =>
  fromAddress(
    new Client(server.baseUrl),
    `10.7.${Math.floor(++addresses / 250)}.${addresses % 250}`,
  );

async function limitedShare(maxDownloads = 1) {
  const owner = await newUser(server.baseUrl);
  const bytes = randomBytes(40_000);
  const file = (await owner.upload('limited.bin', bytes)).body.file;
  const created = await owner.call('POST', '/api/shares', { fileId: file.id, maxDownloads });
  expect(created.status).toBe(201);
  const token: string = created.body.share.token;
  const downloads = async () =>
    (await owner.call('GET', '/api/shares')).body.items[0].downloads as number;
  return { bytes, token, downloads };
}

async function fetchRange(client: Client, token: string, range?: string) {
  const res = await client.raw('GET', `/api/public/shares/${token}/content`, {
    headers: range ? { range } : {},
  });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('share download limits', () => {
  it('100 parallel ranges that never start at byte 0: exactly one is served, the rest 410', async () => {
    const { bytes, token, downloads } = await limitedShare(1);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const start = 1 + i * 397;
        return fetchRange(visitor(), token, `bytes=${start}-${start + 99}`).then((answer) => ({
          ...answer,
          start,
        }));
      }),
    );
    const served = answers.filter((answer) => answer.status === 206);
    expect(served).toHaveLength(1);
    expect(served[0]!.bytes.equals(bytes.subarray(served[0]!.start, served[0]!.start + 100))).toBe(
      true,
    );
    expect(answers.filter((answer) => answer.status === 410)).toHaveLength(99);
    expect(await downloads()).toBe(1);
  });

  it('the address of the counted download may resume it with ranges for a while; nobody else may', async () => {
    const { bytes, token, downloads } = await limitedShare(1);
    const guest = visitor();
    const first = await fetchRange(guest, token, 'bytes=0-9999');
    expect(first.status).toBe(206);
    const rest = await fetchRange(guest, token, 'bytes=10000-');
    expect(rest.status).toBe(206);
    expect(Buffer.concat([first.bytes, rest.bytes]).equals(bytes)).toBe(true);
    expect(await downloads()).toBe(1);

    expect((await fetchRange(visitor(), token, 'bytes=10000-')).status).toBe(410);
    // A whole new download from the same address is another download.
    expect((await fetchRange(guest, token)).status).toBe(410);
    // Once the resume window has passed (10 minutes), a range is a new download too.
    await server.query('UPDATE share_resumes SET expires_at = ? WHERE share_token = ?', [
      Date.now() - 1,
      token,
    ]);
    expect((await fetchRange(guest, token, 'bytes=20000-')).status).toBe(410);
  });

  it('saves from 5 accounts at once with maxDownloads=1: one is saved', async () => {
    const { token, downloads } = await limitedShare(1);
    const takers = await Promise.all(Array.from({ length: 5 }, () => newUser(server.baseUrl)));
    const answers = await Promise.all(
      takers.map((taker) => taker.call('POST', `/api/shares/${token}/save`)),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    for (const answer of answers.filter((answer) => answer.status !== 201))
      expectError(answer, 410, 'share_gone');
    const copies = await Promise.all(
      takers.map(async (taker) => (await taker.call('GET', '/api/files')).body.items.length),
    );
    expect(copies.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(await downloads()).toBe(1);
  });

  it('a save uses the download: a download after it is 410', async () => {
    const { token } = await limitedShare(1);
    const taker = await newUser(server.baseUrl);
    expect((await taker.call('POST', `/api/shares/${token}/save`)).status).toBe(201);
    expectError(
      await visitor().call('GET', `/api/public/shares/${token}/content`),
      410,
      'share_gone',
    );
    expectError(await visitor().call('GET', `/api/public/shares/${token}`), 410, 'share_gone');
  });

  it('a save that fails (quota) gives its download back', async () => {
    const { bytes, token, downloads } = await limitedShare(1);
    const full = await newUser(server.baseUrl);
    await full.upload('big.bin', randomBytes(QUOTA - 1000));
    expectError(await full.call('POST', `/api/shares/${token}/save`), 413, 'quota_exceeded');
    expect(await downloads()).toBe(0);
    const whole = await fetchRange(visitor(), token);
    expect(whole.status).toBe(200);
    expect(whole.bytes.equals(bytes)).toBe(true);
  });
});
