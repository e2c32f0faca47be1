// Issue 12, "Roles that are really separate": SERVICES picks the routes a process serves; a route
// of another role answers 404 not_served_here and the log names that role, so a gateway misroute
// is visible. Each role runs as its own server on the same database and DATA_DIR.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Role } from '../src/config.ts';
import { Client, expectError, newUser, sha1Of, type Answer } from './support/client.ts';
import { startRoleProcess, type RoleProcess } from './support/roles.ts';
import { startTestServer, type TestServer } from './support/server.ts';

type HttpRole = Exclude<Role, 'transfer'>;

let server: TestServer;
let user: Client;
let fileId: string;
const content = randomBytes(100_000);
const processes = new Map<string, RoleProcess>();

/** The same user's requests, sent to the process of `services`. */
const as = (services: string) => new Client(processes.get(services)!.baseUrl, user.token);

beforeAll(async () => {
  server = await startTestServer();
  user = await newUser(server.baseUrl);
  fileId = (await user.upload('seed.bin', content)).body.file.id;
  for (const services of ['account', 'files', 'upload', 'download', 'web', 'transfer'])
    processes.set(services, await startRoleProcess(server.env, services));
});
afterAll(async () => {
  for (const { running } of processes.values()) await running.stop();
  await server.stop();
});

/** One request of each role's routes (an id that exists where one is needed). */
const probes: [HttpRole, string, string, unknown?][] = [
  ['account', 'GET', '/api/me'],
  ['account', 'POST', '/api/auth/login', { username: 'nobody_here', password: 'wrong password' }],
  ['files', 'GET', '/api/files'],
  ['files', 'GET', '/api/folders'],
  ['files', 'GET', '/api/shares'],
  ['files', 'GET', '/api/trash'],
  ['files', 'PATCH', '/api/files/:id', {}],
  ['files', 'GET', '/api/files/:id/versions'],
  ['files', 'POST', '/api/files/instant', { name: 'x', size: 1, sha1: sha1Of('x') }],
  ['upload', 'GET', '/api/uploads/nope'],
  ['upload', 'POST', '/api/uploads', { name: 'x', size: 1, sha1: sha1Of('x') }],
  ['download', 'GET', '/api/files/:id/content'],
  ['download', 'GET', '/api/files/:id/versions/v1/content'],
  ['download', 'POST', '/api/files/archive', { fileIds: [] }],
  ['download', 'GET', '/api/public/shares/nope'],
  ['web', 'GET', '/'],
  ['web', 'GET', '/files/some/spa/route'],
];

const send = (client: Client, method: string, path: string, body?: unknown): Promise<Answer> =>
  client.call(method, path.replace(':id', fileId), body);

describe.each(['account', 'files', 'upload', 'download', 'web'] as const)('SERVICES=%s', (role) => {
  it('serves its own routes and answers not_served_here on every other role’s', async () => {
    const client = as(role);
    for (const [owner, method, path, body] of probes) {
      const answer = await send(client, method, path, body);
      const what = `${method} ${path} on a ${role} process: ${answer.status}`;
      if (owner === role) {
        expect(answer.body?.error?.code, what).not.toBe('not_served_here');
      } else {
        expectError(answer, 404, 'not_served_here');
        expect(answer.body.error.message, what).toContain(owner);
      }
    }
  });

  it('logs the role of a misrouted request', async () => {
    const other = role === 'files' ? 'download' : 'files';
    const path = other === 'files' ? '/api/files' : `/api/files/${fileId}/content`;
    const { log } = processes.get(role)!;
    expectError(await as(role).call('GET', path), 404, 'not_served_here');
    await expect
      .poll(() => log.map((line) => JSON.parse(line)).filter((line) => line.role === other))
      .toContainEqual(expect.objectContaining({ level: 40, path }));
  });
});

it('an upload process takes a whole chunked upload; a download process serves its bytes', async () => {
  const bytes = randomBytes(300_000);
  const upload = as('upload');
  const init = await upload.call('POST', '/api/uploads', {
    name: 'by-roles.bin',
    size: bytes.length,
    sha1: sha1Of(bytes),
  });
  expect(init.status).toBe(201);
  const { uploadId, chunkSize } = init.body;
  for (let index = 0; index * chunkSize < bytes.length; index++) {
    const chunk = bytes.subarray(index * chunkSize, (index + 1) * chunkSize);
    expect((await upload.putChunk(uploadId, index, chunk)).status).toBe(204);
  }
  const done = await upload.call('POST', `/api/uploads/${uploadId}/complete`);
  expect(done.status).toBe(201);
  // The files role lists it, the download role serves it; the upload role does neither.
  const listed = await as('files').call('GET', '/api/files');
  expect(listed.body.items.map((file: { id: string }) => file.id)).toContain(done.body.file.id);
  const res = await as('download').raw('GET', `/api/files/${done.body.file.id}/content`);
  expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  expectError(await upload.call('GET', '/api/files'), 404, 'not_served_here');
});

it('a transfer worker opens no HTTP port; SERVICES=all serves every role', async () => {
  expect(processes.get('transfer')!.running.server).toBeUndefined();
  for (const [, method, path, body] of probes) {
    const answer = await send(user, method, path, body);
    expect(answer.body?.error?.code, `${method} ${path}`).not.toBe('not_served_here');
  }
});

it('SERVICES accepts web and rejects an unknown role', () => {
  expect(loadConfig({ SERVICES: 'web,upload' }).roles).toEqual(['web', 'upload']);
  expect(loadConfig({}).roles).toEqual([
    'account',
    'files',
    'upload',
    'download',
    'web',
    'transfer',
  ]);
  expect(() => loadConfig({ SERVICES: 'gateway' })).toThrow(/^SERVICES/);
});
