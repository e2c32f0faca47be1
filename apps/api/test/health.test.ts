import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { Client, expectError } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let client: Client;

beforeAll(async () => {
  server = await startTestServer();
  client = new Client(server.baseUrl);
});
afterAll(() => server.stop());

describe('health, readiness, OpenAPI, unknown routes', () => {
  it('GET /healthz and /readyz answer 200', async () => {
    expect((await client.call('GET', '/healthz')).status).toBe(200);
    expect((await client.call('GET', '/readyz')).body).toEqual({ status: 'ready' });
  });

  it('serves the OpenAPI 3.1 document generated from the contract', async () => {
    const { body } = await client.call('GET', '/api/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    for (const path of [
      '/api/auth/register',
      '/api/auth/login',
      '/api/me',
      '/api/files',
      '/api/files/{id}/content',
      '/api/files/instant',
    ]) {
      expect(body.paths).toHaveProperty([path]);
    }
    // issue 6: folders, moves, archives, shares
    for (const [path, methods] of Object.entries({
      '/api/files': ['get', 'post'],
      '/api/files/{id}': ['get', 'patch', 'delete'],
      '/api/files/archive': ['post'],
      '/api/folders': ['get', 'post'],
      '/api/folders/{id}': ['get', 'patch', 'delete'],
      '/api/shares': ['get', 'post'],
      '/api/shares/{token}': ['delete'],
      '/api/shares/{token}/save': ['post'],
      '/api/public/shares/{token}': ['get'],
      '/api/public/shares/{token}/content': ['get'],
    })) {
      expect(Object.keys(body.paths[path]).sort()).toEqual(methods.sort());
    }
    expect(body.components.schemas.File.properties).toHaveProperty('folderId');
    expect(body.components.schemas.UpdateFileBody.properties).toHaveProperty('folderId');
    expect(body.components.schemas.Credentials.properties.username.pattern).toBeDefined();
  });

  it('an unknown API route is a JSON 404, with a request id', async () => {
    const res = await client.call('GET', '/api/nope');
    expectError(res, 404, 'not_found');
    expect(res.headers.get('x-request-id')).toMatch(/.+/);
  });
});

describe('configuration', () => {
  it('uses the embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: undefined,
      uploadMaxBytes: 10 * 1024 ** 3,
      defaultQuotaBytes: null,
    });
  });

  it('reads comma-separated replica and file database URLs', () => {
    const config = loadConfig({
      DATABASE_URL: 'mysql://u:p@primary:3306/fs',
      DATABASE_REPLICA_URLS: 'mysql://u:p@r1:3306/fs, mysql://u:p@r2:3306/fs',
      FILE_DB_URLS: 'mysql://u:p@f:3306/files0,mysql://u:p@f:3306/files1',
    });
    expect(config.databaseReplicaUrls).toEqual([
      'mysql://u:p@r1:3306/fs',
      'mysql://u:p@r2:3306/fs',
    ]);
    expect(config.fileDbUrls).toEqual(['mysql://u:p@f:3306/files0', 'mysql://u:p@f:3306/files1']);
    expect(loadConfig({})).toMatchObject({ databaseReplicaUrls: [], fileDbUrls: [] });
  });

  it('parses sizes with units', () => {
    expect(loadConfig({ UPLOAD_MAX_BYTES: '5GB', DEFAULT_QUOTA_BYTES: '1048576' })).toMatchObject({
      uploadMaxBytes: 5 * 1024 ** 3,
      defaultQuotaBytes: 1048576,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: /],
    [{ UPLOAD_MAX_BYTES: 'lots' }, /^UPLOAD_MAX_BYTES: /],
    [{ DATABASE_URL: 'postgres://x/y' }, /^DATABASE_URL: /],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [
      { DATABASE_URL: 'mysql://a@b/c', DATABASE_REPLICA_URLS: 'mysql://a@r/c,r2' },
      /^DATABASE_REPLICA_URLS: /,
    ],
    [{ DATABASE_REPLICA_URLS: 'mysql://a@r/c' }, /^DATABASE_REPLICA_URLS: needs DATABASE_URL/],
    [{ DATABASE_URL: 'mysql://a@b/c', FILE_DB_URLS: 'mysql://a@f/' }, /^FILE_DB_URLS: /],
  ])('a wrong value names the variable: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
