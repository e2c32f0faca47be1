// "Does the server hold this content?" is told only within a per-user budget: every instant-upload
// challenge and every chunked-upload init spends one probe, hit or miss, atomically.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBES } from '../src/files/instant.ts';
import { expectError, newUser, sha1Of, type Client } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
const known = randomBytes(3000);

beforeAll(async () => {
  server = await startTestServer();
  await (await newUser(server.baseUrl)).upload('known.bin', known);
});
afterAll(() => server.stop());

const knownFile = { name: 'probe.bin', size: known.length, sha1: sha1Of(known) };
const unknownFile = () => ({ name: 'probe.bin', size: 3000, sha1: sha1Of(randomBytes(16)) });

const challenge = (client: Client, body: object) => client.call('POST', '/api/files/instant', body);
const init = (client: Client, body: object) => client.call('POST', '/api/uploads', body);

describe('the probe budget', () => {
  it(`challenges beyond ${PROBES.limit} a minute are 429 with Retry-After; misses count too`, async () => {
    const prober = await newUser(server.baseUrl);
    for (let i = 0; i < PROBES.limit; i++) {
      const res = await challenge(prober, i % 2 ? knownFile : unknownFile());
      expect(res.status).toBe(i % 2 ? 200 : 404);
    }
    for (const body of [knownFile, unknownFile()]) {
      const refused = await challenge(prober, body);
      expectError(refused, 429, 'too_many_requests');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    // Another user has a budget of their own.
    expect((await challenge(await newUser(server.baseUrl), knownFile)).status).toBe(200);
  });

  it('parallel challenges never take more than the budget', async () => {
    const prober = await newUser(server.baseUrl);
    const answers = await Promise.all(
      Array.from({ length: PROBES.limit + 50 }, (_, i) =>
        challenge(prober, i % 3 ? knownFile : unknownFile()),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 429)).toHaveLength(50);
    expect(statuses.filter((status) => status === 200 || status === 404)).toHaveLength(
      PROBES.limit,
    );
  });

  it('init answers {instant: true} only within the budget; beyond it, content that exists opens an upload like new content', async () => {
    const prober = await newUser(server.baseUrl);
    const answers = await Promise.all(
      Array.from({ length: PROBES.limit + 30 }, () => init(prober, knownFile)),
    );
    expect(answers.filter((answer) => answer.body.instant === true)).toHaveLength(PROBES.limit);
    const opened = answers.filter((answer) => answer.status === 201);
    expect(opened).toHaveLength(30);
    for (const answer of opened) expect(answer.body.uploadId).toEqual(expect.any(String));

    // Spent: known and unknown content get the same kind of answer, and challenges are refused.
    const again = await init(prober, knownFile);
    const fresh = await init(prober, unknownFile());
    expect([again.status, fresh.status]).toEqual([201, 201]);
    expect(Object.keys(again.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expectError(await challenge(prober, knownFile), 429, 'too_many_requests');

    // The bytes the slow way still make the file (deduplicated at complete).
    const { uploadId } = again.body;
    expect((await prober.putChunk(uploadId, 0, known)).status).toBe(204);
    const done = await prober.call('POST', `/api/uploads/${uploadId}/complete`);
    expect(done.status).toBe(201);
    expect(done.body.file.sha1).toBe(knownFile.sha1);
  });
});
