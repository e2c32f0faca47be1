// docker-compose.yml, the Dockerfile and the nginx config cannot run here (no Docker engine), so
// they are checked by parsing: the compose environment must pass the API's own config validation.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.ts';

const root = new URL('../../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

describe('deployment files', () => {
  // Compose applies YAML merge keys (`<<: *filestore-env`), as `merge: true` does here.
  const compose = parse(read('docker-compose.yml'), { merge: true });

  it('docker-compose.yml runs the API on MariaDB behind nginx, and a transfer worker to MinIO through RabbitMQ', () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual([
      'filestore',
      'mariadb',
      'minio',
      'minio-bucket',
      'nginx',
      'rabbitmq',
      'worker',
    ]);
    const api = loadConfig(services.filestore.environment);
    const worker = loadConfig(services.worker.environment);
    for (const config of [api, worker]) {
      expect(config.databaseUrl).toMatch(/@mariadb:3306\/filestore$/);
      expect(config.dataDir).toBe('/data');
      expect(config.storage).toMatchObject({ driver: 's3', endpoint: 'http://minio:9000' });
      expect(config.amqpUrls).toEqual([expect.stringMatching(/@rabbitmq:5672$/)]);
    }
    // The API serves HTTP only; the worker process runs the transfer role.
    expect(api.roles).not.toContain('transfer');
    // Behind nginx on the compose network, whose X-Forwarded-For it believes.
    expect(api.trustedProxies).toEqual(['uniquelocal']);
    expect(services.worker.command).toEqual(['npm', 'run', 'worker']);
    // Both see the same staging volume, and wait for their services to be ready.
    expect(services.worker.volumes).toEqual(services.filestore.volumes);
    expect(services.filestore.depends_on['minio-bucket'].condition).toBe(
      'service_completed_successfully',
    );
    const db = services.mariadb.environment;
    expect(api.databaseUrl).toContain(`${db.MARIADB_USER}:${db.MARIADB_PASSWORD}@`);
    const mq = services.rabbitmq.environment;
    expect(api.amqpUrls[0]).toContain(`${mq.RABBITMQ_DEFAULT_USER}:${mq.RABBITMQ_DEFAULT_PASS}@`);
    const minio = services.minio.environment;
    expect(api.storage).toMatchObject({
      accessKeyId: minio.MINIO_ROOT_USER,
      secretAccessKey: minio.MINIO_ROOT_PASSWORD,
    });
  });

  it('nginx streams uploads to the filestore service', () => {
    const mount = compose.services.nginx.volumes[0].split(':')[0];
    expect(existsSync(new URL(mount, root))).toBe(true);
    const nginx = read(mount);
    expect(nginx).toMatch(/server filestore:8080;/);
    expect(nginx).toMatch(/proxy_request_buffering off;/);
    expect(nginx).toMatch(/client_max_body_size 0;/);
    expect(nginx).toMatch(/proxy_set_header Host \$http_host;/);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
  });

  it('the Dockerfile starts the root serve script', () => {
    const scripts = JSON.parse(read('package.json')).scripts;
    expect(read('Dockerfile')).toMatch(/^CMD \["npm", "run", "serve"\]$/m);
    expect(scripts.serve).toContain('apps/api/dist/main.js');
    expect(scripts.worker).toContain('apps/api/dist/worker.js');
  });
});
