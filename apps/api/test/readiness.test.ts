// Issue 12: "/readyz per role checks only what that role needs": with the object store down only
// the roles that read it (download, transfer) leave the rotation; with DATA_DIR nearly full only
// the upload role does; the SPA's web role needs none of them. A worker-only process answers its
// /readyz on its own port.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRoleProcess, type RoleProcess } from './support/roles.ts';
import { startS3rver, type RunningS3rver } from './support/s3rver.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { s3Env } from './support/transfer.ts';

const ROLES = ['account', 'files', 'upload', 'download', 'web', 'transfer'] as const;

let s3: RunningS3rver;
let server: TestServer;
let s3Stopped = false;
const processes = new Map<string, RoleProcess>();

beforeAll(async () => {
  s3 = await startS3rver('filestore-readiness');
  server = await startTestServer(s3Env(s3));
  for (const role of ROLES) processes.set(role, await startRoleProcess(server.env, role));
  // Less free space than any disk has: only the roles that write to DATA_DIR care.
  const full = { ...server.env, MIN_FREE_DISK_BYTES: '1000TB' };
  processes.set('upload-full', await startRoleProcess(full, 'upload'));
  processes.set('download-full', await startRoleProcess(full, 'download'));
});
afterAll(async () => {
  for (const { running } of processes.values()) await running.stop();
  await server.stop();
  if (!s3Stopped) await s3.stop();
});

const readyz = async (name: string) =>
  (await fetch(`${processes.get(name)!.baseUrl}/readyz`)).status;

it('every role is ready while everything is up', async () => {
  for (const role of ROLES) expect(await readyz(role), role).toBe(200);
});

it('DATA_DIR nearly full: the upload role is not ready, the download role is', async () => {
  expect(await readyz('upload-full')).toBe(503);
  expect(await readyz('download-full')).toBe(200);
});

it('the object store down: the download and transfer roles are not ready, the others are', async () => {
  await s3.stop();
  s3Stopped = true;
  expect(await readyz('download')).toBe(503);
  expect(await readyz('transfer')).toBe(503);
  for (const role of ['account', 'files', 'upload', 'web'])
    expect(await readyz(role), role).toBe(200);
  // SERVICES=all needs everything.
  expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(503);
});
