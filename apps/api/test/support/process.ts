// Runs the API or a transfer worker as a real child process, so a test can SIGKILL it and start it
// again.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

type Entry = 'main' | 'worker' | 'migrate';

const entry = (name: Entry) => fileURLToPath(new URL(`../../src/${name}.ts`, import.meta.url));

async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  probe.close();
  return port;
}

export interface ChildHandle {
  kill: (signal: NodeJS.Signals) => Promise<void>;
}

export interface ApiProcess extends ChildHandle {
  baseUrl: string;
  /** The child itself, e.g. to signal it without waiting for it to end. */
  child: ChildProcess;
  /** What it wrote to stdout and stderr so far, when spawned with `capture`. */
  output: () => string;
}

export interface SpawnOptions {
  /** Modules loaded into the process before its entry (`node --import`). */
  imports?: string[];
  /** Keep stdout and stderr for `output()` instead of passing them through. */
  capture?: boolean;
  /** How long it may take to be ready (default a minute): many processes starting at once are slow. */
  startTimeoutMs?: number;
}

function spawnEntry(
  name: Entry,
  env: Record<string, string>,
  options: SpawnOptions = {},
): ChildProcess {
  const imports = ['tsx', ...(options.imports ?? [])].flatMap((module) => ['--import', module]);
  const output = options.capture ? 'pipe' : 'inherit';
  return spawn(process.execPath, [...imports, entry(name)], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', output, output],
  });
}

function outputOf(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.on('data', (data: Buffer) => (text += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (text += data.toString()));
  return () => text;
}

function handleOf(child: ChildProcess): ChildHandle {
  return {
    kill: async (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * Polls `ready` until it holds; fails if the child exits or `timeoutMs` passes (a child that never
 * got ready is killed, not left behind).
 */
async function waitUntil(
  child: ChildProcess,
  ready: () => Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (await ready()) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${what} did not start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function spawnApi(
  env: Record<string, string>,
  port?: number,
  options: SpawnOptions = {},
): Promise<ApiProcess & { port: number }> {
  const chosen = port ?? (await freePort());
  const child = spawnEntry('main', { ...env, PORT: String(chosen) }, options);
  const output = outputOf(child);
  const baseUrl = `http://127.0.0.1:${chosen}`;
  await waitUntil(
    child,
    () =>
      fetch(`${baseUrl}/healthz`).then(
        (res) => res.ok,
        () => false,
      ),
    'the API',
    options.startTimeoutMs,
  );
  return { baseUrl, port: chosen, child, output, ...handleOf(child) };
}

/** Starts the API expecting it to refuse: its exit code (null if still running after 15 s) and stderr. */
export async function spawnApiUntilExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return runUntilExit('main', { PORT: String(await freePort()), ...env }, 15_000);
}

/** Runs `npm run migrate`'s entry to its end: exit code, stdout and stderr. */
export async function runMigrate(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runUntilExit('migrate', env, 120_000);
}

/** Runs an entry until it exits, or kills it after `limitMs` (the code is then null). */
async function runUntilExit(name: Entry, env: Record<string, string>, limitMs: number) {
  const child = spawnEntry(name, env, { capture: true });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

export interface WorkerProcess extends ChildHandle {
  child: ChildProcess;
  /** What it wrote so far, when spawned with `capture`. */
  output: () => string;
}

/** Starts `npm run worker`'s entry; `ready` tells when it consumes (e.g. the queue's consumers). */
export async function spawnWorker(
  env: Record<string, string>,
  ready: () => Promise<boolean>,
  options: SpawnOptions = {},
): Promise<WorkerProcess> {
  const child = spawnEntry('worker', env, options);
  const output = outputOf(child);
  await waitUntil(child, ready, 'the worker', options.startTimeoutMs);
  return { child, output, ...handleOf(child) };
}
