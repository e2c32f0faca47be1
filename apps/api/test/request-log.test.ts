// Issue 10, item 13: request logs say "method, route, status, duration, bytes, request id" in one
// line per request, and no secret a request carries (password, bearer token, session cookie,
// `?code=`, X-Share-Code, share token, instant-upload challenge and proof) reaches the log text.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, hmacOf, sha1Of, uniqueName } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import type { RequestSummary } from '../src/http/request-log.ts';

let server: TestServer;
const logText: string[] = [];

beforeAll(async () => {
  server = await startTestServer(
    { LOG_LEVEL: 'info' },
    { logDestination: { write: (line: string) => void logText.push(line) } },
  );
});
afterAll(() => server.stop());

interface RequestLine extends RequestSummary {
  level: number;
  msg: string;
  reqId: string;
  err?: { message: string };
}

const linesOf = (reqId: string): RequestLine[] =>
  logText.map((text) => JSON.parse(text)).filter((line) => line.reqId === reqId);

/** Sends one request with its own X-Request-Id and returns that request's log lines. */
async function logged(
  client: Client,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: BodyInit } = {},
) {
  const reqId = randomUUID();
  const res = await client.raw(method, path, {
    ...init,
    headers: { ...init.headers, 'x-request-id': reqId },
  });
  const body = Buffer.from(await res.arrayBuffer());
  // The line is written when the response finishes, which may be a moment after the client has it.
  for (let waited = 0; linesOf(reqId).length === 0 && waited < 2000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return { status: res.status, body, reqId, lines: linesOf(reqId) };
}

const json = (value: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

it('one line per request with its route, and not one secret in the log', async () => {
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const username = uniqueName();
  const anonymous = new Client(server.baseUrl);
  const secrets = new Map<string, string>([['password', password]]);
  const expected: { reqId: string; method: string; route: string; status: number }[] = [];
  const record = (
    sent: Awaited<ReturnType<typeof logged>>,
    method: string,
    route: string,
    status = sent.status,
  ) => {
    expect(sent.status).toBe(status);
    expected.push({ reqId: sent.reqId, method, route, status });
    return sent;
  };

  record(
    await logged(anonymous, 'POST', '/api/auth/register', json({ username, password })),
    'POST',
    '/api/auth/register',
    201,
  );
  const login = async () => {
    const sent = await logged(anonymous, 'POST', '/api/auth/login', json({ username, password }));
    record(sent, 'POST', '/api/auth/login', 200);
    return JSON.parse(sent.body.toString()).token as string;
  };
  const bearer = await login();
  const cookie = await login();
  secrets.set('bearer token', bearer).set('session cookie', cookie);
  const user = new Client(server.baseUrl, bearer);

  record(await logged(user, 'GET', '/api/me'), 'GET', '/api/me', 200);
  record(
    await logged(anonymous, 'GET', '/api/me', { headers: { cookie: `fs_session=${cookie}` } }),
    'GET',
    '/api/me',
    200,
  );

  // A form upload and its download: the bytes in and out are counted.
  const bytes = randomBytes(100_000);
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'report.bin');
  const uploaded = record(
    await logged(user, 'POST', '/api/files', { body: form }),
    'POST',
    '/api/files',
    201,
  );
  expect(uploaded.lines[0]!.bytesIn).toBeGreaterThan(bytes.length);
  const file = JSON.parse(uploaded.body.toString()).file;
  const download = record(
    await logged(user, 'GET', `/api/files/${file.id}/content`),
    'GET',
    '/api/files/:id/content',
    200,
  );
  expect(download.lines[0]!.bytesOut).toBeGreaterThan(bytes.length);

  // A share with an extraction code, opened with the code in the query and in X-Share-Code.
  const created = await logged(
    user,
    'POST',
    '/api/shares',
    json({ fileId: file.id, withCode: true }),
  );
  record(created, 'POST', '/api/shares', 201);
  const share = JSON.parse(created.body.toString()).share;
  secrets.set('extraction code', share.code).set('share token', share.token);
  for (const path of [
    `/api/public/shares/${share.token}`,
    `/api/public/shares/${share.token}/content`,
  ]) {
    const route = path.endsWith('/content')
      ? '/api/public/shares/:token/content'
      : '/api/public/shares/:token';
    record(await logged(anonymous, 'GET', `${path}?code=${share.code}`), 'GET', route, 200);
    record(
      await logged(anonymous, 'GET', path, { headers: { 'x-share-code': share.code } }),
      'GET',
      route,
      200,
    );
  }
  // An unknown path keeps its path but loses its query.
  record(
    await logged(anonymous, 'GET', `/api/nothing-here?code=${share.code}`),
    'GET',
    '/api/nothing-here',
    404,
  );

  // Instant upload: the challenge's token and the proof travel in the body.
  const target = { name: 'again.bin', size: bytes.length, sha1: sha1Of(bytes) };
  const asked = await logged(user, 'POST', '/api/files/instant', json(target));
  record(asked, 'POST', '/api/files/instant', 200);
  const { challenge } = JSON.parse(asked.body.toString());
  const proof = {
    token: challenge.token,
    hmac: hmacOf(
      challenge.nonce,
      bytes.subarray(challenge.offset, challenge.offset + challenge.length),
    ),
  };
  secrets
    .set('challenge token', proof.token)
    .set('challenge nonce', challenge.nonce)
    .set('proof', proof.hmac);
  record(
    await logged(user, 'POST', '/api/files/instant', json({ ...target, proof })),
    'POST',
    '/api/files/instant',
    201,
  );

  // A fault: the error goes on the request's one line, at error level, without the SQL that
  // quoted the share token.
  await server.query('DROP TABLE shares');
  const failed = await logged(
    anonymous,
    'GET',
    `/api/public/shares/${share.token}?code=${share.code}`,
    {
      headers: {
        'x-share-code': share.code,
        authorization: `Bearer ${bearer}`,
        cookie: `fs_session=${cookie}`,
      },
    },
  );
  record(failed, 'GET', '/api/public/shares/:token', 500);
  expect(failed.lines[0]!.level).toBe(50);
  expect(failed.lines[0]!.err?.message).toMatch(/shares/);

  for (const { reqId, method, route, status } of expected) {
    const lines = linesOf(reqId);
    expect(lines, `${method} ${route}`).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reqId, method, route, status });
    expect(lines[0]!.msg).toMatch(/^request/);
    expect(lines[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(lines[0]!.bytesIn).toBeGreaterThan(0);
    expect(lines[0]!.bytesOut).toBeGreaterThan(0);
    expect(Object.keys(lines[0]!)).not.toContain('req');
  }
  const everything = logText.join('');
  expect(everything).not.toMatch(/"headers"/);
  for (const [what, secret] of secrets) {
    expect(secret.length, what).toBeGreaterThan(3);
    expect(everything.includes(secret), `the ${what} is in the log`).toBe(false);
  }
});
