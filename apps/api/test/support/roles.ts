// A process of some roles (SERVICES) beside a test server: in this process, on the server's
// database and DATA_DIR (its environment), on its own port, with its log kept.
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/start.ts';

export interface RoleProcess {
  running: Running;
  baseUrl: string;
  log: string[];
}

export async function startRoleProcess(
  env: Record<string, string>,
  services: string,
): Promise<RoleProcess> {
  const log: string[] = [];
  const config = loadConfig({ ...env, LOG_LEVEL: 'info', PORT: '0', SERVICES: services });
  const running = await start(config, { logDestination: { write: (line) => void log.push(line) } });
  const { port } = running.server.address() as AddressInfo;
  return { running, baseUrl: `http://127.0.0.1:${port}`, log };
}
