// Issue 12, observability: "structured logs carry the role and the request id end to end (gateway
// → role → worker job)". The X-Request-Id of a complete (or a purge from the trash) travels in the
// transfer job it creates, through the in-process queue and through RabbitMQ to a worker process,
// and every log line of that job carries it and the worker's role. A worker-only process serves /metrics on its
// own port, with job counters that move.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, newUser, sha1Of } from '../support/client.ts';
import { spawnApi, spawnApiUntilExit, type ApiProcess } from '../support/process.ts';
import { startS3rver, type RunningS3rver } from '../support/s3rver.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import {
  amqpEnv,
  newNamespace,
  removeNamespace,
  s3Env,
  waitFor,
  waitForState,
} from '../support/transfer.ts';

const CHUNK = 256 * 1024;

interface LogLine {
  msg: string;
  role: string;
  reqId?: string;
  job?: { action: string; sha1: string };
}

/** The JSON lines of a log (a child's output may end in a line still being written). */
const parsed = (text: string[]): LogLine[] =>
  text
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{') && line.endsWith('}'))
    .map((line) => JSON.parse(line) as LogLine);

const gatewayId = () => `gw-${randomBytes(8).toString('hex')}`;

/** A chunked upload whose complete carries `requestId`; returns its SHA-1 and file id. */
async function uploadByChunks(user: Client, requestId: string) {
  const bytes = randomBytes(2 * CHUNK + 999);
  const sha1 = sha1Of(bytes);
  const init = await user.call('POST', '/api/uploads', {
    name: 'traced.bin',
    size: bytes.length,
    sha1,
  });
  expect(init.status).toBe(201);
  const { uploadId, chunkSize } = init.body;
  for (let index = 0; index * chunkSize < bytes.length; index++) {
    const chunk = bytes.subarray(index * chunkSize, (index + 1) * chunkSize);
    expect((await user.putChunk(uploadId, index, chunk)).status).toBe(204);
  }
  const done = await user.call('POST', `/api/uploads/${uploadId}/complete`, undefined, {
    'x-request-id': requestId,
  });
  expect(done.status).toBe(201);
  return {
    sha1,
    fileId: done.body.file.id as string,
    answeredId: done.headers.get('x-request-id'),
  };
}

/** The lines of the job on `sha1` that say it was done. */
const doneLines = (lines: LogLine[], sha1: string, action: string) =>
  lines.filter(
    (line) =>
      line.msg === 'transfer job done' && line.job?.sha1 === sha1 && line.job.action === action,
  );

describe('in-process queue', () => {
  let s3: RunningS3rver;
  let server: TestServer;
  const logText: string[] = [];

  beforeAll(async () => {
    s3 = await startS3rver('filestore-request-id');
    server = await startTestServer(
      { ...s3Env(s3), CHUNK_SIZE: String(CHUNK), LOG_LEVEL: 'info' },
      { logDestination: { write: (line: string) => void logText.push(line) } },
    );
  });
  afterAll(async () => {
    await server?.stop();
    await s3?.stop();
  });

  it("the complete's X-Request-Id is on the transfer job's log line, and the purge's on the deletion's", async () => {
    const user = await newUser(server.baseUrl);
    const completeId = gatewayId();
    const { sha1, fileId, answeredId } = await uploadByChunks(user, completeId);
    expect(answeredId).toBe(completeId);
    await waitForState(server, sha1, 'stored');
    await waitFor(async () => expect(doneLines(parsed(logText), sha1, 'transfer')).toHaveLength(1));
    expect(doneLines(parsed(logText), sha1, 'transfer')[0]).toMatchObject({
      reqId: completeId,
      role: 'account,files,upload,download,web,transfer',
    });

    // A delete moves the file to the trash; deleting it from there drops the last reference.
    expect((await user.call('DELETE', `/api/files/${fileId}`)).status).toBe(204);
    const deleteId = gatewayId();
    const purged = await user.call('DELETE', `/api/trash/${fileId}`, undefined, {
      'x-request-id': deleteId,
    });
    expect(purged.status).toBe(204);
    await waitForState(server, sha1, undefined);
    await waitFor(async () => expect(doneLines(parsed(logText), sha1, 'delete')).toHaveLength(1));
    expect(doneLines(parsed(logText), sha1, 'delete')[0]!.reqId).toBe(deleteId);
  });

  it('an id that could forge log text is replaced by a fresh one, which the job carries instead', async () => {
    const user = await newUser(server.baseUrl);
    for (const forged of ['abc" ,"role":"admin', 'a'.repeat(65), 'abc\u00e9', 'a b']) {
      const { sha1, answeredId } = await uploadByChunks(user, forged);
      expect(answeredId).not.toBe(forged);
      expect(answeredId).toMatch(/^[0-9a-f-]{36}$/);
      await waitFor(async () =>
        expect(doneLines(parsed(logText), sha1, 'transfer')).toHaveLength(1),
      );
      expect(doneLines(parsed(logText), sha1, 'transfer')[0]!.reqId).toBe(answeredId);
    }
    expect(logText.join('')).not.toContain('"role":"admin');
  });
});

describe('RabbitMQ and a worker-only process', () => {
  const namespace = newNamespace();
  let s3: RunningS3rver;
  let server: TestServer;
  let worker: ApiProcess & { port: number };

  beforeAll(async () => {
    s3 = await startS3rver('filestore-request-id-amqp');
    server = await startTestServer({
      ...s3Env(s3),
      ...amqpEnv(namespace),
      CHUNK_SIZE: String(CHUNK),
      SERVICES: 'account,files,upload,download',
    });
    worker = await spawnApi({ ...server.env, SERVICES: 'transfer', LOG_LEVEL: 'info' }, undefined, {
      capture: true,
    });
  });
  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await server?.stop();
    await removeNamespace(namespace, 's3');
    await s3?.stop();
  });

  /** The worker's `filestore_transfer_jobs_total` sample for `action` done, 0 when absent. */
  async function jobsDone(action: string): Promise<number> {
    const res = await fetch(`${worker.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const sample = new RegExp(
      `^filestore_transfer_jobs_total\\{action="${action}",outcome="done"\\} (\\d+)$`,
      'm',
    ).exec(text);
    return Number(sample?.[1] ?? 0);
  }

  it("the worker process logs the complete's request id with its role; its /metrics counts the job", async () => {
    const before = await jobsDone('transfer');
    const user = await newUser(server.baseUrl);
    const completeId = gatewayId();
    const { sha1 } = await uploadByChunks(user, completeId);
    await waitForState(server, sha1, 'stored');

    const lines = () => parsed([worker.output()]);
    await waitFor(async () => expect(doneLines(lines(), sha1, 'transfer')).toHaveLength(1));
    expect(doneLines(lines(), sha1, 'transfer')[0]).toMatchObject({
      reqId: completeId,
      role: 'transfer',
    });
    expect(await jobsDone('transfer')).toBe(before + 1);
    const metrics = await (await fetch(`${worker.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /^filestore_transfer_job_duration_seconds_count\{.*outcome="done".*\} \d+$/m,
    );
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('a second worker on the same PORT refuses with one line', async () => {
    const { code, stderr } = await spawnApiUntilExit({
      ...server.env,
      SERVICES: 'transfer',
      PORT: String(worker.port),
    });
    expect(code).toBe(1);
    // One line of ours, no stack (Node may print its own warnings beside it).
    const ours = stderr.split('\n').filter((line) => line.startsWith('filestore:'));
    expect(ours).toEqual([
      `filestore: cannot start: PORT ${worker.port}: listen EADDRINUSE: address already in use :::${worker.port}`,
    ]);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('the worker port answers its probes, and not_served_here to anything else', async () => {
    expect((await fetch(`${worker.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${worker.baseUrl}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready' });
    for (const [method, path] of [
      ['GET', '/api/files'],
      ['GET', '/'],
      ['POST', '/metrics'],
      ['GET', '/__proto__'],
    ] as const) {
      const res = await fetch(`${worker.baseUrl}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'not_served_here',
      );
    }
  });
});
