// Debian's nginx running the gateway config on loopback: the role upstreams are rewritten to
// local ports (several per role when a test wants replicas), everything else is the real file.
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const GATEWAY_CONFIG = new URL('../../../../deploy/nginx/nginx.conf', import.meta.url);

/** `server <host>:<port>;` lines of each upstream block, by upstream name. */
export function upstreamServers(config: string): Map<string, string[]> {
  const upstreams = new Map<string, string[]>();
  for (const [, name, body] of config.matchAll(/upstream (\w+) \{([^}]*)\}/g)) {
    upstreams.set(
      name!,
      [...body!.matchAll(/server ([^\s;]+);/g)].map((m) => m[1]!),
    );
  }
  return upstreams;
}

/**
 * The config with each upstream's servers replaced, the gateway listening on `port`, and its pid
 * temp and log files in `dir` (several gateways may run at once).
 */
export function renderGatewayConfig(
  ports: Map<string, number[]>,
  port: number,
  dir: string,
): string {
  const config = readFileSync(GATEWAY_CONFIG, 'utf8');
  return (
    config
      .replace(/upstream (\w+) \{([^}]*)\}/g, (_block, name: string, body: string) => {
        const servers = ports.get(name);
        if (servers === undefined) throw new Error(`no test ports for upstream ${name}`);
        const lines = servers.map((p) => `server 127.0.0.1:${p};`).join('\n    ');
        return `upstream ${name} {${body.replace(/server [^\s;]+;/, lines)}}`;
      })
      .replace(/listen 8080;/, `listen 127.0.0.1:${port};`)
      .replaceAll(' /tmp/', ` ${dir}/`)
      // A test runner's stdout may be a socket nginx cannot open by path.
      .replace(' /dev/stdout ', ` ${dir}/access.log `)
  );
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Debian's nginx; /usr/sbin is not on every user's PATH. */
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

/** `nginx -t` on a config file: returns nginx's verdict, throws with its output on failure. */
export function checkConfig(file: string, prefix: string): string {
  return execFileSync(NGINX, ['-t', '-c', file, '-p', prefix], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface Gateway {
  url: string;
  /** The access log so far (the repo's `filestore` format: status, upstream=…, request_id=…). */
  accessLog(): string;
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground on the rendered config, on `listenPort` (default: a free one);
 * resolves once it accepts requests.
 */
export async function startGateway(
  ports: Map<string, number[]>,
  listenPort?: number,
): Promise<Gateway> {
  const dir = mkdtempSync(path.join(tmpdir(), 'filestore-gateway-'));
  // Run as root, nginx's workers are `nobody`: they must reach their temp directories in it.
  chmodSync(dir, 0o755);
  const port = listenPort ?? (await freePort());
  const file = path.join(dir, 'nginx.conf');
  writeFileSync(file, renderGatewayConfig(ports, port, dir));
  checkConfig(file, dir);
  const child: ChildProcess = spawn(NGINX, ['-c', file, '-p', dir, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const ok = await fetch(`${url}/gateway/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (attempt > 100 || child.exitCode !== null) throw new Error('nginx did not start');
    await sleep(50);
  }
  return {
    url,
    accessLog: () => readFileSync(path.join(dir, 'access.log'), 'utf8'),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
