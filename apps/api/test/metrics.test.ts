// Issue 12, observability: GET /metrics in the Prometheus text format counts requests by method,
// matched route pattern and status with their durations, the bytes received and sent, and the
// transfer jobs; and every log line names the process's role.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROLES } from '../src/config.ts';
import { newUser, sha1Of } from './support/client.ts';
import { deleteForever } from './support/trash.ts';
import { startS3rver, type RunningS3rver } from './support/s3rver.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { s3Env, waitFor, waitForState } from './support/transfer.ts';

let s3: RunningS3rver;
let server: TestServer;
const logText: string[] = [];

beforeAll(async () => {
  // S3 as the store, so uploads make transfer jobs (run by the in-process queue).
  s3 = await startS3rver('filestore-metrics');
  server = await startTestServer(
    { ...s3Env(s3), LOG_LEVEL: 'info' },
    { logDestination: { write: (line: string) => void logText.push(line) } },
  );
});
afterAll(async () => {
  await server?.stop();
  await s3?.stop();
});

/** The samples of a scrape: `name{label="value",…} number` lines. */
async function scrape(): Promise<
  { name: string; labels: Record<string, string>; value: number }[]
> {
  const res = await fetch(`${server.baseUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return (await res.text())
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [, name, labelText, value] = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      const labels = Object.fromEntries(
        [...(labelText ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, val]) => [key, val]),
      );
      return { name: name!, labels, value: Number(value) };
    });
}

/** The sum of the samples named `name` whose labels include `labels` (0 when there is none). */
async function valueOf(name: string, labels: Record<string, string> = {}): Promise<number> {
  return (await scrape())
    .filter((sample) => sample.name === name)
    .filter((sample) => Object.entries(labels).every(([key, val]) => sample.labels[key] === val))
    .reduce((sum, sample) => sum + sample.value, 0);
}

it('counts requests by route pattern and status, with durations and bytes', async () => {
  const count = (route: string, status: string) =>
    valueOf('filestore_http_request_duration_seconds_count', { method: 'GET', route, status });
  const alice = await newUser(server.baseUrl);
  const listBefore = await count('/api/files', '200');
  const missingBefore = await count('/api/files/:id', '404');
  const receivedBefore = await valueOf('filestore_http_received_bytes_total', {
    route: '/api/files',
  });

  for (let i = 0; i < 3; i++) expect((await alice.call('GET', '/api/files')).status).toBe(200);
  const missing = await alice.call('GET', `/api/files/${'0'.repeat(26)}`);
  expect(missing.status).toBe(404);
  const bytes = randomBytes(64 * 1024);
  expect((await alice.upload('counted.bin', bytes)).status).toBe(201);

  await waitFor(async () => expect(await count('/api/files', '200')).toBe(listBefore + 3));
  expect(await count('/api/files/:id', '404')).toBe(missingBefore + 1);
  expect(
    await valueOf('filestore_http_received_bytes_total', { route: '/api/files' }),
  ).toBeGreaterThan(receivedBefore);
  // The upload's body came in on its route; the durations were observed.
  const uploadRoutes = (await scrape()).filter(
    (sample) =>
      sample.name === 'filestore_http_received_bytes_total' &&
      sample.value >= bytes.length &&
      sample.labels.route !== 'unmatched',
  );
  expect(uploadRoutes.length).toBeGreaterThan(0);
  expect(
    await valueOf('filestore_http_request_duration_seconds_sum', { route: '/api/files' }),
  ).toBeGreaterThan(0);
  expect(await valueOf('filestore_http_sent_bytes_total', { route: '/api/files' })).toBeGreaterThan(
    0,
  );
  // A raw path is never a label: unknown URLs share one.
  await fetch(`${server.baseUrl}/api/no-such-${randomBytes(4).toString('hex')}`);
  await waitFor(async () =>
    expect((await scrape()).some((sample) => sample.labels.route?.includes('no-such'))).toBe(false),
  );
});

it('counts transfer job attempts by outcome and times them', async () => {
  const done = (action: string) =>
    valueOf('filestore_transfer_jobs_total', { action, outcome: 'done' });
  const [transfersBefore, deletesBefore] = [await done('transfer'), await done('delete')];
  const alice = await newUser(server.baseUrl);
  const bytes = randomBytes(10_000);
  const uploaded = await alice.upload('moved.bin', bytes);
  await waitForState(server, sha1Of(bytes), 'stored');
  // At least once: a job the relay publishes again meanwhile is one more (idempotent) attempt.
  await waitFor(async () => expect(await done('transfer')).toBeGreaterThan(transfersBefore));
  expect((await deleteForever(alice, uploaded.body.file.id)).status).toBe(204);
  await waitFor(async () => expect(await done('delete')).toBeGreaterThan(deletesBefore));
  expect(
    await valueOf('filestore_transfer_job_duration_seconds_count', { action: 'transfer' }),
  ).toBeGreaterThan(0);
});

it('gauges the uploads open from the database and counts chunk PUTs that found bytes held', async () => {
  const alice = await newUser(server.baseUrl);
  const [openBefore, retriesBefore] = [
    await valueOf('filestore_uploads_open'),
    await valueOf('filestore_upload_chunk_retries_total'),
  ];
  const bytes = randomBytes(10_000);
  const init = await alice.call('POST', '/api/uploads', {
    name: 'chunked.bin',
    size: bytes.length,
    sha1: sha1Of(bytes),
  });
  expect(init.status).toBe(201);
  const { uploadId } = init.body;
  expect(await valueOf('filestore_uploads_open')).toBe(openBefore + 1);

  // The first PUT of a chunk is no retry; the same chunk again (whole already) is one.
  expect((await alice.putChunk(uploadId, 0, bytes)).status).toBe(204);
  expect(await valueOf('filestore_upload_chunk_retries_total')).toBe(retriesBefore);
  expect((await alice.putChunk(uploadId, 0, bytes)).status).toBe(204);
  expect(await valueOf('filestore_upload_chunk_retries_total')).toBe(retriesBefore + 1);

  expect((await alice.call('POST', `/api/uploads/${uploadId}/complete`)).status).toBe(201);
  expect(await valueOf('filestore_uploads_open')).toBe(openBefore);
});

it('reports the database pool where Sequelize has one (MariaDB)', async () => {
  const samples = (await scrape()).filter((s) => s.name === 'filestore_db_pool_connections');
  if (process.env.TEST_DATABASE !== 'mariadb') {
    // SQLite: one connection, no pool to report.
    expect(samples).toEqual([]);
    return;
  }
  // One scrape: the worker's queries move the pool between scrapes.
  const pool = (state: string) => samples.find((s) => s.labels.state === state)?.value ?? NaN;
  expect(pool('size')).toBeGreaterThanOrEqual(1);
  // A connection being opened counts in size before it is available or in use.
  expect(pool('available') + pool('using')).toBeLessThanOrEqual(pool('size'));
  expect(pool('waiting')).toBeGreaterThanOrEqual(0);
});

it('every log line names the role', () => {
  const lines = logText.map((text) => JSON.parse(text) as { role?: string });
  expect(lines.length).toBeGreaterThan(5);
  expect(lines.every((line) => line.role === ROLES.join(','))).toBe(true);
});
