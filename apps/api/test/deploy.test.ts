// docker-compose.yml, the Dockerfile and the nginx config cannot run here (no Docker engine), so
// they are checked by parsing: the compose environment must pass the API's own config validation.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.ts';

const root = new URL('../../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

describe('deployment files', () => {
  const compose = parse(read('docker-compose.yml'));

  it('docker-compose.yml runs filestore on MariaDB behind nginx', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['filestore', 'mariadb', 'nginx']);
    const filestore = compose.services.filestore;
    expect(filestore.depends_on.mariadb.condition).toBe('service_healthy');
    const config = loadConfig(filestore.environment);
    expect(config.databaseUrl).toMatch(/@mariadb:3306\/filestore$/);
    expect(config.dataDir).toBe('/data');
    const db = compose.services.mariadb.environment;
    expect(config.databaseUrl).toContain(`${db.MARIADB_USER}:${db.MARIADB_PASSWORD}@`);
  });

  it('nginx streams uploads to the filestore service', () => {
    const mount = compose.services.nginx.volumes[0].split(':')[0];
    expect(existsSync(new URL(mount, root))).toBe(true);
    const nginx = read(mount);
    expect(nginx).toMatch(/server filestore:8080;/);
    expect(nginx).toMatch(/proxy_request_buffering off;/);
    expect(nginx).toMatch(/client_max_body_size 0;/);
  });

  it('the Dockerfile starts the root serve script', () => {
    const scripts = JSON.parse(read('package.json')).scripts;
    expect(read('Dockerfile')).toMatch(/^CMD \["npm", "run", "serve"\]$/m);
    expect(scripts.serve).toContain('apps/api/dist/main.js');
  });
});
