// Read/write split over a MariaDB primary (DATABASE_URL) and its replicas (DATABASE_REPLICA_URLS).
//
// - Reads made while serving an HTTP request go to a replica (round robin); everything else —
//   writes, transactions, start-up, housekeeping — goes to the primary.
// - Read-your-writes without shared state between API processes: a request's first replica read
//   waits (MASTER_GTID_WAIT) until the replica has applied the primary's GTID position as read
//   after the request arrived; every write the caller saw acknowledged is in that position. One
//   position read serves every request that arrived before it was sent. A replica that does not
//   catch up within WAIT_SECONDS is skipped for LAG_BACKOFF_MS: those reads go to the primary.
//   After a request wrote, its own later reads go to the primary too.
// - Failover: a replica that cannot be reached is skipped for RETRY_MS, then tried again. When
//   the primary is unreachable, writes fail fast with a ConnectionError (503
//   database_unavailable) for RETRY_MS and reads carry on from the replicas without waiting.
//
// Sequelize's own replication pool round-robins blindly over the replicas and has no GTID wait,
// so this replaces the pool object of its connection manager (acquire/release/destroy/drain, the
// calls Sequelize makes) with one pool per server.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ConnectionError, type Sequelize } from 'sequelize';
import { Pool } from 'sequelize-pool';

const WAIT_SECONDS = 0.5;
const LAG_BACKOFF_MS = 2000;
export const RETRY_MS = 2000;

/** The mysql2 connection object Sequelize's MySQL dialect creates (callback API). */
interface Connection {
  query(sql: string, values: unknown[], done: (err: Error | null, rows: unknown) => void): void;
}

interface ServerConfig {
  host?: string;
  port?: number | string;
  username?: string;
  password?: string | null;
  database?: string;
}

/** The parts of Sequelize's connection manager this module uses (not in its public typings). */
interface ConnectionManagerInternals {
  config: ServerConfig & {
    pool: { max: number; min: number; idle: number; acquire: number; evict: number };
  };
  pool: unknown;
  _connect(config: ServerConfig): Promise<Connection>;
  _disconnect(connection: Connection): Promise<void>;
  dialect: { connectionManager: { validate(connection: Connection): boolean } };
}

interface Server {
  name: string;
  pool: Pool<Connection>;
  /** Unreachable until then (epoch ms). */
  downUntil: number;
  /** Behind the primary until then; reads that need to wait go elsewhere. */
  laggingUntil: number;
}

/** What one HTTP request has done so far. */
interface RequestReads {
  arrivedAt: number;
  wrote: boolean;
  /** Replicas that have applied the position this request depends on. */
  caughtUp: Set<Server>;
  position?: Promise<string | undefined>;
}

const requests = new AsyncLocalStorage<RequestReads>();

/** Runs an HTTP request's handling: its reads may go to replicas. */
export function withReplicaReads<T>(run: () => T): T {
  return requests.run({ arrivedAt: performance.now(), wrote: false, caughtUp: new Set() }, run);
}

function serverConfig(url: string): ServerConfig {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
  };
}

const query = <T>(connection: Connection, sql: string, values: unknown[] = []) =>
  new Promise<T[]>((resolve, reject) =>
    connection.query(sql, values, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
  );

class ReplicatedPool {
  private readonly primary: Server;
  private readonly replicas: Server[];
  private readonly owner = new WeakMap<Connection, Server>();
  private next = 0;
  /** The last primary position read, shared by the requests that arrived before it was sent. */
  private latestPosition?: { sentAt: number; value: Promise<string | undefined> };

  constructor(
    private readonly manager: ConnectionManagerInternals,
    replicaUrls: string[],
  ) {
    this.primary = this.server('primary', {});
    this.replicas = replicaUrls.map((url, i) => this.server(`replica ${i + 1}`, serverConfig(url)));
  }

  async acquire(queryType: string, useMaster?: boolean): Promise<Connection> {
    const request = requests.getStore();
    if (!request || queryType !== 'SELECT' || useMaster || request.wrote) {
      const connection = await this.fromPrimary();
      if (request && queryType !== 'SELECT') request.wrote = true;
      return connection;
    }
    for (const replica of this.rotation()) {
      const connection = await this.take(replica).catch(() => undefined);
      if (!connection) continue;
      try {
        if (await this.hasCaughtUp(replica, connection, request)) return connection;
      } catch {
        // The connection broke (the pool's validation drops it): take the replica out for a while.
        replica.downUntil = Date.now() + RETRY_MS;
      }
      replica.pool.release(connection);
    }
    return this.fromPrimary();
  }

  release(connection: Connection): void {
    this.owner.get(connection)?.pool.release(connection);
  }

  async destroy(connection: Connection): Promise<void> {
    await this.owner.get(connection)?.pool.destroy(connection);
  }

  async drain(): Promise<void> {
    await Promise.all(this.servers().map((server) => server.pool.drain()));
  }

  async destroyAllNow(): Promise<void> {
    await Promise.all(this.servers().map((server) => server.pool.destroyAllNow()));
  }

  private servers(): Server[] {
    return [this.primary, ...this.replicas];
  }

  private server(name: string, target: ServerConfig): Server {
    const { config } = this.manager;
    const connect = { ...config, ...target };
    const server: Server = {
      name,
      downUntil: 0,
      laggingUntil: 0,
      pool: new Pool<Connection>({
        name: `filestore:${name}`,
        create: async () => {
          const connection = await this.manager._connect(connect);
          this.owner.set(connection, server);
          return connection;
        },
        destroy: (connection) => this.manager._disconnect(connection),
        validate: (connection) => this.manager.dialect.connectionManager.validate(connection),
        max: config.pool.max,
        min: config.pool.min,
        idleTimeoutMillis: config.pool.idle,
        acquireTimeoutMillis: config.pool.acquire,
        reapIntervalMillis: config.pool.evict,
      }),
    };
    return server;
  }

  /** The replicas to try, in round-robin order, skipping those known to be down. */
  private rotation(): Server[] {
    const start = this.next++ % Math.max(this.replicas.length, 1);
    const ordered = [...this.replicas.slice(start), ...this.replicas.slice(0, start)];
    return ordered.filter((replica) => replica.downUntil <= Date.now());
  }

  /** A connection to the server; a failure to connect takes it out of rotation for RETRY_MS. */
  private async take(server: Server): Promise<Connection> {
    try {
      return await server.pool.acquire();
    } catch (err) {
      server.downUntil = Date.now() + RETRY_MS;
      throw err;
    }
  }

  private async fromPrimary(): Promise<Connection> {
    if (this.primary.downUntil > Date.now()) {
      throw new ConnectionError(new Error('The primary database is unreachable'));
    }
    return this.take(this.primary);
  }

  /** Whether this replica has applied every write the request may depend on (waits a little). */
  private async hasCaughtUp(
    replica: Server,
    connection: Connection,
    request: RequestReads,
  ): Promise<boolean> {
    if (request.caughtUp.has(replica)) return true;
    request.position ??= this.primaryPosition(request.arrivedAt);
    const position = await request.position;
    // Primary unreachable: nothing newer can have been acknowledged; the replica is the best copy.
    if (position === undefined) return true;
    if (replica.laggingUntil > Date.now()) return false;
    const [row] = await query<{ reached: number | null }>(
      connection,
      'SELECT MASTER_GTID_WAIT(?, ?) AS reached',
      [position, WAIT_SECONDS],
    );
    if (row?.reached === 0) {
      request.caughtUp.add(replica);
      return true;
    }
    replica.laggingUntil = Date.now() + LAG_BACKOFF_MS;
    return false;
  }

  /** The primary's GTID position read after `arrivedAt`; undefined when the primary is down. */
  private primaryPosition(arrivedAt: number): Promise<string | undefined> {
    if (this.latestPosition && this.latestPosition.sentAt >= arrivedAt) {
      return this.latestPosition.value;
    }
    const sentAt = performance.now();
    const value = this.readPrimaryPosition();
    this.latestPosition = { sentAt, value };
    return value;
  }

  private async readPrimaryPosition(): Promise<string | undefined> {
    if (this.primary.downUntil > Date.now()) return undefined;
    let connection: Connection | undefined;
    try {
      connection = await this.take(this.primary);
      const [row] = await query<{ position: string }>(
        connection,
        'SELECT @@global.gtid_binlog_pos AS position',
      );
      return row?.position ?? '';
    } catch {
      this.primary.downUntil = Date.now() + RETRY_MS;
      return undefined;
    } finally {
      if (connection) this.primary.pool.release(connection);
    }
  }
}

/** Sends this Sequelize instance's reads to the replicas as described above. */
export function useReplicas(sequelize: Sequelize, replicaUrls: string[]): void {
  const manager = sequelize.connectionManager as unknown as ConnectionManagerInternals;
  manager.pool = new ReplicatedPool(manager, replicaUrls);
}
