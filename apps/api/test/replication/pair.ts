// The private MariaDB primary + replica pair of the replication tests (scripts/mariadb-pair.sh):
// started fresh before the suite (vitest globalSetup), stopped after it, and helpers to stop and
// start one server, look at it as root and wait for the replica.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';

const SCRIPT = fileURLToPath(new URL('../../../../scripts/mariadb-pair.sh', import.meta.url));
const PORTS = { primary: 3407, replica: 3408 } as const;
export type PairServer = keyof typeof PORTS;

const pairEnv = {
  ...process.env,
  PAIR_PRIMARY_PORT: String(PORTS.primary),
  PAIR_REPLICA_PORT: String(PORTS.replica),
  PAIR_DIR: '/tmp/filestore-pair-test',
};

/** The application's view: a non-root user, so `read_only` binds it on the replica. */
export const appUrl = (server: PairServer) =>
  `mysql://filestore:filestore@127.0.0.1:${PORTS[server]}/filestore`;

const pairScript = (command: 'start' | 'stop') =>
  execFileSync(SCRIPT, [command], { env: pairEnv, stdio: ['ignore', 'ignore', 'inherit'] });

export function setup(): void {
  pairScript('stop');
  pairScript('start');
}

export function teardown(): void {
  pairScript('stop');
}

/** Starts whichever server of the pair was stopped; replication resumes. */
export const startPair = () => pairScript('start');

/** Runs SQL as root on one server of the pair. */
export async function asRoot<T = Record<string, unknown>>(
  server: PairServer,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const connection = await mysql.createConnection({
    host: '127.0.0.1',
    port: PORTS[server],
    user: 'root',
    database: 'filestore',
  });
  try {
    return (await connection.query(sql, values))[0] as T[];
  } finally {
    await connection.end();
  }
}

/** Shuts one server down and waits until it no longer accepts connections. */
export async function stopServer(server: PairServer): Promise<void> {
  await asRoot(server, 'SHUTDOWN');
  for (let i = 0; i < 100; i++) {
    const down = await asRoot(server, 'SELECT 1').then(
      () => false,
      () => true,
    );
    if (down) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the ${server} did not stop`);
}

/** Waits until the replica has applied everything the primary has written. */
export async function replicaCaughtUp(): Promise<void> {
  const [{ position }] = await asRoot<{ position: string }>(
    'primary',
    'SELECT @@gtid_binlog_pos AS position',
  );
  const [{ reached }] = await asRoot<{ reached: number }>(
    'replica',
    'SELECT MASTER_GTID_WAIT(?, 30) AS reached',
    [position],
  );
  if (reached !== 0) throw new Error('the replica did not catch up');
}

/** Statements that server ran containing `marker` (general log, switched on by logStatements). */
export async function statementsWith(server: PairServer, marker: string): Promise<string[]> {
  const rows = await asRoot<{ argument: Buffer | string }>(
    server,
    "SELECT argument FROM mysql.general_log WHERE command_type IN ('Query', 'Execute') AND argument LIKE ?",
    [`%${marker}%`],
  );
  return rows.map((row) => String(row.argument)).filter((sql) => !sql.includes('general_log'));
}

export async function logStatements(server: PairServer): Promise<void> {
  await asRoot(server, "SET GLOBAL log_output = 'TABLE', GLOBAL general_log = 1");
}
