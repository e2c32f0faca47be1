// The deployment files cannot run here (no Docker engine, no cluster), so they are checked without
// one: kubectl renders the Kubernetes manifests and every object validates against the Kubernetes
// JSON schemas; every container's environment (Kubernetes and compose) passes the API's own config
// validation; Debian's nginx checks the gateway config and routes real requests through it.
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, type Role } from '../src/config.ts';
import {
  containerEnv,
  kustomize,
  named,
  podSpec,
  validateAgainstSchema,
  type K8sObject,
} from './support/kubernetes.ts';
import { GATEWAY_CONFIG, startGateway, upstreamServers, type Gateway } from './support/nginx.ts';

const root = new URL('../../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');
const rootScripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
const gatewayUpstreams = upstreamServers(readFileSync(GATEWAY_CONFIG, 'utf8'));

/** The roles each process of the split runs (issue 12: 2 × account,files, upload, download, …). */
const ROLE_OF: Record<string, Role[]> = {
  api: ['account', 'files'],
  upload: ['upload'],
  download: ['download'],
  web: ['web' as Role],
  transfer: ['transfer'],
};
/** Processes that read or write bytes on the shared staging volume. */
const SHARES_STAGING = ['api', 'upload', 'download', 'transfer'];

describe('Kubernetes manifests (deploy/k8s)', () => {
  const objects = kustomize(new URL('deploy/k8s', root).pathname);
  const overlay = kustomize(new URL('deploy/k8s/overlays/example', root).pathname);
  const filestoreWorkloads = (from: K8sObject[]) =>
    from.filter(
      (o) =>
        (o.kind === 'Deployment' || o.kind === 'Job') &&
        podSpec(o).containers.some((c: any) => c.name === 'filestore'),
    );
  const role = (deployment: K8sObject) => deployment.metadata.name.replace(/^filestore-/, '');

  it('kubectl kustomize renders the base and the example overlay, and every object validates against the Kubernetes schemas', async () => {
    for (const rendered of [objects, overlay]) {
      for (const object of rendered) await validateAgainstSchema(object);
    }
    const kinds = (rendered: K8sObject[], kind: string) =>
      rendered
        .filter((o) => o.kind === kind)
        .map((o) => o.metadata.name)
        .sort();
    expect(kinds(objects, 'Deployment')).toEqual(
      ['api', 'download', 'gateway', 'transfer', 'upload', 'web'].map((r) => `filestore-${r}`),
    );
    expect(kinds(objects, 'Job')).toEqual(['filestore-migrate']);
    expect(kinds(objects, 'HorizontalPodAutoscaler')).toEqual([
      'filestore-download',
      'filestore-upload',
    ]);
    // A broken object must not pass: the schema check is real.
    const broken = structuredClone(named(objects, 'Deployment', 'filestore-upload'));
    podSpec(broken).containers[0].resources.limits.memory = { size: 512 };
    await expect(validateAgainstSchema(broken)).rejects.toThrow(/memory/);
    // The overlay changes what it says and keeps the rest.
    expect(
      overlay.every((o) => o.kind === 'Namespace' || o.metadata.namespace === 'filestore'),
    ).toBe(true);
    expect(named(overlay, 'HorizontalPodAutoscaler', 'filestore-upload').spec.maxReplicas).toBe(20);
  });

  it("every filestore container's environment passes the API's config validation, with its role's SERVICES", () => {
    for (const rendered of [objects, overlay]) {
      for (const workload of filestoreWorkloads(rendered)) {
        const container = podSpec(workload).containers[0];
        const config = loadConfig(containerEnv(rendered, container));
        expect(config.databaseUrl).toMatch(/^mysql:\/\//);
        expect(config.amqpUrls[0]).toMatch(/^amqp:\/\//);
        expect(config.storage.driver).toBe('s3');
        expect(config.dataDir).toBe('/data');
        // Behind the ingress controller and the gateway, both on the cluster's private network.
        expect(config.trustedProxies).toEqual(['uniquelocal']);
        if (workload.kind === 'Deployment') {
          expect(config.roles, workload.metadata.name).toEqual(ROLE_OF[role(workload)]);
        }
      }
    }
  });

  it('every pod runs as non-root on a read-only root with a writable /tmp, with resources set; every role (the worker too) probes /readyz and /healthz and is scraped at /metrics', () => {
    for (const workload of objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job')) {
      const pod = podSpec(workload);
      expect(pod.securityContext.runAsNonRoot, workload.metadata.name).toBe(true);
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources.requests.cpu).toBeDefined();
        expect(container.resources.limits.memory).toBeDefined();
        const tmp = container.volumeMounts.find((m: any) => m.mountPath === '/tmp');
        expect(pod.volumes.find((v: any) => v.name === tmp.name).emptyDir).toBeDefined();
      }
    }
    for (const name of Object.keys(ROLE_OF)) {
      const deployment = named(objects, 'Deployment', `filestore-${name}`);
      const [container] = podSpec(deployment).containers;
      const port = loadConfig(containerEnv(objects, container)).port;
      expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(deployment.spec.template.metadata.annotations, name).toEqual({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(port),
        'prometheus.io/path': '/metrics',
      });
    }
    expect(
      podSpec(named(objects, 'Deployment', 'filestore-transfer')).containers[0].command,
    ).toEqual(['npm', 'run', 'worker']);
  });

  it('upload replicas (and the roles reading staged bytes) mount one ReadWriteMany volume holding STAGING_DIR', () => {
    const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim')!;
    expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
    for (const name of SHARES_STAGING) {
      const deployment = named(objects, 'Deployment', `filestore-${name}`);
      const pod = podSpec(deployment);
      const container = pod.containers[0];
      const config = loadConfig(containerEnv(objects, container));
      const claimed = pod.volumes
        .filter((v: any) => v.persistentVolumeClaim?.claimName === pvc.metadata.name)
        .map((v: any) => v.name);
      const mount = container.volumeMounts.find((m: any) => claimed.includes(m.name));
      expect(mount, name).toBeDefined();
      expect(config.stagingDir.startsWith(`${mount.mountPath}/`)).toBe(true);
      expect(config.dataDir).toBe(mount.mountPath);
    }
  });

  it('every Deployment has a PodDisruptionBudget, upload and download an autoscaler, and every Service selects pods', () => {
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    const podLabels = (d: K8sObject) => d.spec.template.metadata.labels as Record<string, string>;
    const selects = (selector: Record<string, string>, d: K8sObject) =>
      Object.entries(selector).every(([key, value]) => podLabels(d)[key] === value);
    for (const deployment of deployments) {
      expect(
        budgets.some((b) => selects(b.spec.selector.matchLabels, deployment)),
        deployment.metadata.name,
      ).toBe(true);
    }
    for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
      expect(named(objects, 'Deployment', hpa.spec.scaleTargetRef.name)).toBeDefined();
    }
    for (const service of objects.filter((o) => o.kind === 'Service')) {
      const targets = deployments.filter((d) => selects(service.spec.selector, d));
      expect(targets, service.metadata.name).toHaveLength(1);
      expect(podSpec(targets[0]!).containers[0].ports[0].name).toBe(
        service.spec.ports[0].targetPort,
      );
    }
    // The gateway's upstreams are these Services, and the gateway runs that very config.
    for (const servers of gatewayUpstreams.values()) {
      for (const server of servers) named(objects, 'Service', server.split(':')[0]!);
    }
    const gatewayConfig = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('filestore-gateway'),
    )!;
    expect(gatewayConfig.data['nginx.conf']).toBe(readFileSync(GATEWAY_CONFIG, 'utf8'));
  });

  it('the ingress streams bodies uncapped and unbuffered to the gateway, with long timeouts only on upload and download paths', () => {
    const ingresses = objects.filter((o) => o.kind === 'Ingress');
    const long = (i: K8sObject) =>
      Number(i.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 3600;
    for (const ingress of ingresses) {
      const annotations = ingress.metadata.annotations!;
      expect(annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('0');
      expect(annotations['nginx.ingress.kubernetes.io/proxy-request-buffering']).toBe('off');
      for (const rule of ingress.spec.rules) {
        for (const p of rule.http.paths) expect(p.backend.service.name).toBe('filestore-gateway');
      }
    }
    const longPaths = ingresses
      .filter(long)
      .flatMap((i) => i.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.path)));
    const matchesLong = (url: string) => longPaths.some((p) => new RegExp(`^${p}`).test(url));
    for (const url of [
      '/api/uploads',
      '/api/uploads/u1/chunks/3',
      '/api/files',
      '/api/files/f1/content',
      '/api/files/f1/versions/v1/content',
      '/api/public/shares/t1/content',
      '/api/files/archive',
    ]) {
      expect(matchesLong(url), url).toBe(true);
    }
    for (const url of [
      '/api/files/f1',
      '/api/files/f1/versions',
      '/api/folders',
      '/api/me',
      '/api/public/shares/t1',
      '/',
    ]) {
      expect(matchesLong(url), url).toBe(false);
    }
  });

  it('the migration Job runs `npm run migrate` once, a script of the root package.json', () => {
    const job = named(objects, 'Job', 'filestore-migrate');
    expect(podSpec(job).restartPolicy).toBe('OnFailure');
    expect(podSpec(job).containers[0].command).toEqual(['npm', 'run', 'migrate']);
    expect(rootScripts.migrate).toContain('apps/api/dist/');
  });
});

describe('docker-compose.yml', () => {
  // Compose applies YAML merge keys (`<<: *filestore-env`), as `merge: true` does here.
  const { services } = parse(read('docker-compose.yml'), { merge: true });

  it('mirrors the split: the gateway, a service per role, two transfer workers and a one-shot migration, on MariaDB, RabbitMQ and MinIO', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'download',
        'gateway',
        'mariadb',
        'migrate',
        'minio',
        'minio-bucket',
        'rabbitmq',
        'transfer',
        'upload',
        'web',
      ].sort(),
    );
    for (const [name, roles] of Object.entries(ROLE_OF)) {
      const config = loadConfig(services[name].environment);
      expect(config.roles, name).toEqual(roles);
      expect(config.databaseUrl).toMatch(/@mariadb:3306\/filestore$/);
      expect(config.dataDir).toBe('/data');
      expect(config.storage).toMatchObject({ driver: 's3', endpoint: 'http://minio:9000' });
      expect(config.amqpUrls).toEqual([expect.stringMatching(/@rabbitmq:5672$/)]);
      // Behind the gateway on the compose network, whose X-Forwarded-* it believes.
      expect(config.trustedProxies).toEqual(['uniquelocal']);
      expect(services[name].read_only).toBe(true);
      expect(services[name].tmpfs).toEqual(['/tmp']);
      // Migrations ran before any role starts.
      expect(services[name].depends_on.migrate.condition).toBe('service_completed_successfully');
      expect(services[name].depends_on['minio-bucket'].condition).toBe(
        'service_completed_successfully',
      );
    }
    for (const name of SHARES_STAGING) expect(services[name].volumes).toEqual(['data:/data']);
    // Every role answers the image's health check (/readyz), the transfer worker on its own port.
    for (const name of Object.keys(ROLE_OF))
      expect(services[name].healthcheck, name).toBeUndefined();
    expect(services.transfer.deploy.replicas).toBe(2);
    expect(services.transfer.command).toEqual(['npm', 'run', 'worker']);
    expect(services.migrate.command).toEqual(['npm', 'run', 'migrate']);
    loadConfig(services.migrate.environment);
    const db = services.mariadb.environment;
    const api = loadConfig(services.api.environment);
    expect(api.databaseUrl).toContain(`${db.MARIADB_USER}:${db.MARIADB_PASSWORD}@`);
    const mq = services.rabbitmq.environment;
    expect(api.amqpUrls[0]).toContain(`${mq.RABBITMQ_DEFAULT_USER}:${mq.RABBITMQ_DEFAULT_PASS}@`);
    const minio = services.minio.environment;
    expect(api.storage).toMatchObject({
      accessKeyId: minio.MINIO_ROOT_USER,
      secretAccessKey: minio.MINIO_ROOT_PASSWORD,
    });
  });

  it('the gateway runs deploy/nginx/nginx.conf, whose upstreams are the role services', () => {
    const [mount] = services.gateway.volumes as string[];
    expect(mount).toBe('./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro');
    for (const servers of gatewayUpstreams.values()) {
      for (const server of servers) {
        const [host, port] = server.split(':');
        expect(services[host!], server).toBeDefined();
        expect(loadConfig(services[host!].environment).port).toBe(Number(port));
      }
    }
  });
});

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('builds in one stage and ships only the built entries, their runtime packages and the SPA, as a non-root user', () => {
    expect(stages).toHaveLength(2);
    const final = stages[1]!;
    expect(final).toMatch(/^USER node$/m);
    expect(final).not.toMatch(/^COPY (?!--from=build)/m);
    expect(final).not.toMatch(/COPY --from=build \/app \/app/);
    expect(stages[0]).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^CMD \["npm", "run", "serve"\]$/m);
    // npm's cache and logs go to /tmp: the root filesystem may be read-only.
    expect(final).toMatch(/npm_config_cache=\/tmp\//);
  });

  it('compiles the running SHA-1 addon in the build stage and ships it', () => {
    const [build, final] = stages as [string, string];
    const addonSources = build.indexOf('COPY packages/resumable-sha1/ packages/resumable-sha1/');
    expect(addonSources).toBeGreaterThan(-1);
    expect(addonSources).toBeLessThan(build.search(/^RUN .*npm ci/m));
    expect(final).toMatch(
      /resumable-sha1\/build\/Release\/resumable_sha1\.node packages\/resumable-sha1\/build\/Release\//,
    );
    expect(final).toMatch(/resumable-sha1\/index\.js packages\/resumable-sha1\//);
  });

  it('the scripts the image runs use the built dist, and tsx is not a runtime dependency', () => {
    expect(rootScripts.serve).toContain('apps/api/dist/main.js');
    expect(rootScripts.worker).toContain('apps/api/dist/worker.js');
    const api = JSON.parse(read('apps/api/package.json'));
    expect(api.dependencies.tsx).toBeUndefined();
    expect(api.devDependencies.tsx).toBeDefined();
  });
});

/** One fake replica: answers with its name and what nginx sent it, after reading the body. */
interface Replica {
  name: string;
  server: Server;
  port: number;
  /** Resolves at the first body byte of the next request (bodies must stream through). */
  firstByte(): Promise<void>;
}

async function startReplica(name: string): Promise<Replica> {
  let onByte: (() => void) | undefined;
  const server = createServer((req, res) => {
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      if (received === 0) onByte?.();
      received += chunk.length;
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({ name, method: req.method, url: req.url, received, headers: req.headers }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    name,
    server,
    port: (server.address() as AddressInfo).port,
    firstByte: () => new Promise<void>((resolve) => (onByte = resolve)),
  };
}

describe('the gateway (deploy/nginx/nginx.conf on Debian nginx)', () => {
  const replicas: Replica[] = [];
  let gateway: Gateway;
  beforeAll(async () => {
    // Two replicas of account,files and of upload; one of the others.
    const names = ['api-1', 'api-2', 'upload-1', 'upload-2', 'download-1', 'web-1'];
    for (const name of names) replicas.push(await startReplica(name));
    const portsOf = (prefix: string) =>
      replicas.filter((r) => r.name.startsWith(prefix)).map((r) => r.port);
    const ports = new Map<string, number[]>();
    for (const [upstream, [server]] of gatewayUpstreams) {
      ports.set(upstream, portsOf(`${server!.split(':')[0]}-`));
    }
    gateway = await startGateway(ports);
  });
  afterAll(async () => {
    await gateway?.stop();
    for (const replica of replicas) replica.server.close();
  });

  const send = async (method: string, path: string, init: RequestInit = {}) => {
    const response = await fetch(`${gateway.url}${path}`, { method, ...init });
    expect(response.status, `${method} ${path}`).toBe(200);
    return (await response.json()) as {
      name: string;
      url: string;
      received: number;
      headers: Record<string, string>;
    };
  };

  it('routes each path to its role, round-robin over the replicas', async () => {
    const routes: [string, string, string][] = [
      ['POST', '/api/auth/login', 'api'],
      ['GET', '/api/me', 'api'],
      ['GET', '/api/files?folder=root', 'api'],
      ['GET', '/api/files/f1', 'api'],
      ['POST', '/api/files/instant', 'api'],
      ['GET', '/api/folders', 'api'],
      ['GET', '/api/public/shares/t1', 'api'],
      ['POST', '/api/files', 'upload'],
      ['POST', '/api/uploads', 'upload'],
      ['PUT', '/api/uploads/u1/chunks/0', 'upload'],
      ['GET', '/api/files/f1/content', 'download'],
      ['GET', '/api/files/f1/versions/v1/content', 'download'],
      ['POST', '/api/files/f1/versions/v1/restore', 'api'],
      ['GET', '/api/public/shares/t1/content', 'download'],
      ['POST', '/api/files/archive', 'download'],
      ['GET', '/', 'web'],
      ['GET', '/drive/folder/1', 'web'],
    ];
    for (const [method, path, role] of routes) {
      const answer = await send(method, path, method === 'GET' ? {} : { body: 'x' });
      expect(answer.name.replace(/-\d$/, ''), `${method} ${path}`).toBe(role);
      expect(answer.url).toBe(path);
    }
    // No sticky sessions: the same client's chunks alternate between the upload replicas.
    const served = [];
    for (let index = 0; index < 4; index++) {
      const answer = await send('PUT', `/api/uploads/u1/chunks/${index}`, {
        body: 'chunk',
        headers: { cookie: 'session=same' },
      });
      served.push(answer.name);
    }
    expect(new Set(served)).toEqual(new Set(['upload-1', 'upload-2']));
  });

  it('passes X-Request-Id through (or makes one) and sets X-Forwarded-For/-Proto/-Host', async () => {
    const given = await send('GET', '/api/me', { headers: { 'x-request-id': 'req-from-client' } });
    expect(given.headers['x-request-id']).toBe('req-from-client');
    const made = await fetch(`${gateway.url}/api/me`);
    const { headers } = (await made.json()) as { headers: Record<string, string> };
    expect(headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(made.headers.get('x-request-id')).toBe(headers['x-request-id']);
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe(new URL(gateway.url).host);
    expect(headers.host).toBe(new URL(gateway.url).host);
  });

  it('caps bodies only off the upload routes, and streams upload bodies without buffering them', async () => {
    const big = new Uint8Array(3 * 1024 * 1024);
    const capped = await fetch(`${gateway.url}/api/folders`, { method: 'POST', body: big });
    expect(capped.status).toBe(413);
    for (const path of ['/api/uploads/u1/chunks/0', '/api/files']) {
      const method = path === '/api/files' ? 'POST' : 'PUT';
      expect((await send(method, path, { body: big })).received).toBe(big.length);
    }
    // The replica sees the first bytes while the client still holds the rest back.
    const upload = replicas.find((r) => r.name === 'upload-1')!;
    const other = replicas.find((r) => r.name === 'upload-2')!;
    const seen = Promise.race([upload.firstByte(), other.firstByte()]);
    const { port, hostname } = new URL(gateway.url);
    const req = request({
      host: hostname,
      port,
      method: 'PUT',
      path: '/api/uploads/u1/chunks/9',
      headers: { 'content-length': 2 * 65536 },
    });
    req.write(Buffer.alloc(65536));
    const timer = setTimeout(() => {
      req.destroy(new Error('no byte reached the upload replica before the body ended: buffered'));
    }, 5000);
    const failed = once(req, 'error').then(([error]) => Promise.reject(error));
    await Promise.race([seen, failed]);
    clearTimeout(timer);
    const answered = once(req, 'response');
    req.end(Buffer.alloc(65536));
    const [response] = await answered;
    response.resume();
    expect(response.statusCode).toBe(200);
  });
});
