// The one typed configuration, read from the environment and validated at start-up.
// A wrong value stops start-up with one line naming the variable (DESIGN.md, "Configuration").
import { isIP } from 'node:net';
import path from 'node:path';
import bytes from 'bytes';
import ms from 'ms';
import { z } from 'zod';
import type { OssObjectStoreOptions } from './storage/oss-object-store.ts';
import type { S3ObjectStoreOptions } from './storage/s3-object-store.ts';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** "1048576", "8MB", "10GB" (powers of 1024) → bytes; undefined when it is not a size. */
function parseBytes(raw: string): number | undefined {
  const parsed = /^\d+$/.test(raw) ? Number(raw) : bytes.parse(raw);
  return parsed !== null && Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : undefined;
}

const byteCount = (fallback: number, min = 1) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const parsed = parseBytes(raw);
      if (parsed === undefined || parsed < min) {
        ctx.addIssue({ code: 'custom', message: 'expected a byte count such as 1048576 or 10GB' });
        return z.NEVER;
      }
      return parsed;
    });

const duration = (fallback: string, minMs = 1) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const parsed = ms((raw || fallback) as ms.StringValue);
      if (typeof parsed !== 'number' || !(parsed >= minMs)) {
        const least = minMs > 1 ? `, at least ${ms(minMs)}` : '';
        ctx.addIssue({ code: 'custom', message: `expected a duration such as 90m or 24h${least}` });
        return z.NEVER;
      }
      return parsed;
    });

const optionalText = z
  .string()
  .optional()
  .transform((raw) => raw || undefined);
const optionalUrl = z
  .string()
  .regex(/^(https?:\/\/.+)?$/, 'expected an http(s):// URL')
  .optional()
  .transform((raw) => raw || undefined);

const mysqlUrl = z
  .string()
  .regex(/^mysql:\/\/.+\/[^/?]+/, 'expected mysql://user:pass@host:port/database');

/** "mysql://…/a,mysql://…/b" → the URLs; empty or unset → none. */
const mysqlUrlList = z
  .string()
  .optional()
  .transform((raw) =>
    (raw ?? '')
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean),
  )
  .pipe(z.array(mysqlUrl));

/** proxy-addr's names, an IP, or an IP with a prefix length or netmask ("10.0.0.0/8"). */
function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address = '', range, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (range === undefined || isIP(range) !== 0) return true;
  return /^\d{1,3}$/.test(range) && Number(range) <= (version === 4 ? 32 : 128);
}

/** "loopback, 10.0.0.0/8" → the list; `none` → trust no proxy. */
const proxyList = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const entries = (raw || 'loopback')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    if (entries.length === 1 && entries[0] === 'none') return [];
    const wrong = entries.find((entry) => !isProxyAddress(entry));
    if (wrong !== undefined || entries.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `expected "none" or addresses such as loopback,10.0.0.0/8 (not "${wrong ?? raw}")`,
      });
      return z.NEVER;
    }
    return entries;
  });

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().min(1).default('./data'),
  STAGING_DIR: optionalText,
  DATABASE_URL: mysqlUrl.optional(),
  DATABASE_REPLICA_URLS: mysqlUrlList,
  FILE_DB_URLS: mysqlUrlList,
  UPLOAD_MAX_BYTES: byteCount(10 * GiB),
  CHUNK_SIZE: byteCount(8 * MiB),
  UPLOAD_TTL: duration('24h'),
  TRASH_TTL: duration('30d'),
  HOUSEKEEPING_INTERVAL: duration('5m', 1000),
  IDLE_TIMEOUT: duration('60s', 1000),
  SHUTDOWN_GRACE: duration('25s'),
  MIN_FREE_DISK_BYTES: byteCount(GiB, 0),
  DEFAULT_QUOTA_BYTES: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '' || raw === 'unlimited') return null;
      const parsed = parseBytes(raw);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: 'expected a byte count or "unlimited"' });
        return z.NEVER;
      }
      return parsed;
    }),
  TRUSTED_PROXIES: proxyList,
  REGISTRATION: z.enum(['open', 'closed']).default('open'),
  REGISTRATIONS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  VERSIONS_MAX: z.coerce.number().int().min(0).max(1000).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STORAGE: z.enum(['local', 'oss', 's3']).default('local'),
  OSS_REGION: optionalText,
  OSS_ENDPOINT: optionalUrl,
  OSS_BUCKET: optionalText,
  OSS_ACCESS_KEY_ID: optionalText,
  OSS_ACCESS_KEY_SECRET: optionalText,
  OSS_STS_TOKEN: optionalText,
  S3_ENDPOINT: optionalUrl,
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: optionalText,
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((raw) => raw === 'true' || raw === '1'),
  DOWNLOAD_MODE: z.enum(['proxy', 'redirect']).default('proxy'),
  // Several comma-separated URLs: the nodes of a RabbitMQ cluster, tried in turn on (re)connection.
  AMQP_URL: z
    .string()
    .default('')
    .transform((raw) => (raw.trim() === '' ? [] : raw.split(',').map((url) => url.trim())))
    .pipe(
      z.array(
        z.string().regex(/^amqps?:\/\/.+/, 'expected amqp://user:pass@host:port/vhost[,amqp://…]'),
      ),
    ),
  AMQP_QUEUE_TYPE: z.enum(['classic', 'quorum']).default('classic'),
  AMQP_NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,40}$/, 'expected a short lowercase name such as filestore')
    .default('filestore'),
  TRANSFER_RETRY_DELAYS: z
    .string()
    .default('5s,30s,5m')
    .transform((raw, ctx) => {
      const delays = raw.split(',').map((part) => ms(part.trim() as ms.StringValue));
      if (
        delays.length === 0 ||
        delays.some((delay) => typeof delay !== 'number' || !(delay > 0))
      ) {
        ctx.addIssue({ code: 'custom', message: 'expected growing delays such as 5s,30s,5m' });
        return z.NEVER;
      }
      return delays;
    }),
  TRANSFER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  MIGRATE: z.enum(['auto', 'check', '']).optional(),
  SERVICES: z
    .string()
    .default('all')
    .transform((raw, ctx) => {
      const roles = raw === 'all' ? [...ROLES] : raw.split(',').map((role) => role.trim());
      const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
      if (roles.length === 0 || unknown.length > 0) {
        ctx.addIssue({ code: 'custom', message: `expected "all" or a list of ${ROLES.join(',')}` });
        return z.NEVER;
      }
      return roles as Role[];
    }),
});

/** What a process does (DESIGN.md, "Services"): HTTP roles, and the transfer worker. */
export const ROLES = ['account', 'files', 'upload', 'download', 'web', 'transfer'] as const;
export type Role = (typeof ROLES)[number];

/** The driver and what the environment says of it (tuning options keep their defaults). */
export type StorageConfig =
  | { driver: 'local' }
  | ({ driver: 'oss' } & Omit<OssObjectStoreOptions, 'partSize' | 'parallel' | 'agent'>)
  | ({ driver: 's3' } & Omit<S3ObjectStoreOptions, 'partSize'>);

export interface Config {
  port: number;
  dataDir: string;
  /** One file per unfinished upload; on the DATA_DIR volume, complete links it instead of copying. */
  stagingDir: string;
  /** undefined means the embedded SQLite database under dataDir. */
  databaseUrl: string | undefined;
  /** Read replicas of databaseUrl; reads go there unless they must see a fresh write. */
  databaseReplicaUrls: string[];
  /** Databases the 256 content tables are spread over (分库); empty: they live in databaseUrl. */
  fileDbUrls: string[];
  uploadMaxBytes: number;
  /** The default chunk size; raised per upload so that none has more than 10,000 chunks. */
  chunkSize: number;
  /** An unfinished upload expires this long (ms) after its last activity. */
  uploadTtlMs: number;
  /** A trashed item is purged this long (ms) after its deletion. */
  trashTtlMs: number;
  /** How often (ms) the deployment runs the housekeeping job (in one process at a time). */
  housekeepingIntervalMs: number;
  /** A connection with no byte either way for this long (ms) is cut; headers must come within it. */
  idleTimeoutMs: number;
  /** On SIGTERM, how long (ms) requests in flight may run on before their connections are cut. */
  shutdownGraceMs: number;
  /** /readyz answers 503 when DATA_DIR has less free space than this. */
  minFreeDiskBytes: number;
  defaultQuotaBytes: number | null;
  /** Proxies whose X-Forwarded-For/-Proto/-Host are believed (Express `trust proxy`). */
  trustedProxies: string[];
  /** `closed`: nobody signs up over HTTP; an operator adds accounts (`npm run user:add`). */
  registration: 'open' | 'closed';
  /** Sign-ups allowed per client address and hour (counted before the account is made). */
  registrationsPerHour: number;
  /** Earlier contents kept per file (replace on conflict, version restore); 0 keeps none. */
  versionsMax: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Where the bytes live for good; `local` keeps them where uploads land. */
  storage: StorageConfig;
  downloadMode: 'proxy' | 'redirect';
  /** RabbitMQ nodes for transfer jobs, tried in turn; none means the in-process queue. */
  amqpUrls: string[];
  /** Prefix of the exchanges and queues, so several deployments can share a broker. */
  amqpNamespace: string;
  /** `quorum` for a RabbitMQ cluster (replicated queues); `classic` for a single broker. */
  amqpQueueType: 'classic' | 'quorum';
  /** Waits (ms) before each retry of a failed transfer job; one more failure → dead letter. */
  transferRetryDelaysMs: number[];
  /** Transfer jobs one worker runs at once (the consumer's prefetch). */
  transferConcurrency: number;
  roles: Role[];
  /**
   * `auto`: migrate at start (default for SQLite or SERVICES=all: `npm start` needs no step);
   * `check`: refuse an older schema, `npm run migrate` runs them once per deployment.
   */
  migrate: 'auto' | 'check';
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0])}: ${issue.message}`);
  }
  const e = result.data;
  for (const name of ['DATABASE_REPLICA_URLS', 'FILE_DB_URLS'] as const) {
    if (e[name].length > 0 && !e.DATABASE_URL) {
      throw new ConfigError(`${name}: needs DATABASE_URL (MySQL/MariaDB) to be set too`);
    }
  }
  return {
    storage: storageConfig(e),
    downloadMode: e.DOWNLOAD_MODE,
    amqpUrls: e.AMQP_URL,
    amqpNamespace: e.AMQP_NAMESPACE,
    amqpQueueType: e.AMQP_QUEUE_TYPE,
    transferRetryDelaysMs: e.TRANSFER_RETRY_DELAYS,
    transferConcurrency: e.TRANSFER_CONCURRENCY,
    roles: e.SERVICES,
    migrate:
      e.MIGRATE || (!e.DATABASE_URL || e.SERVICES.length === ROLES.length ? 'auto' : 'check'),
    port: e.PORT,
    dataDir: path.resolve(e.DATA_DIR),
    stagingDir: path.resolve(e.STAGING_DIR ?? path.join(e.DATA_DIR, 'staging')),
    databaseUrl: e.DATABASE_URL,
    databaseReplicaUrls: e.DATABASE_REPLICA_URLS,
    fileDbUrls: e.FILE_DB_URLS,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    chunkSize: e.CHUNK_SIZE,
    uploadTtlMs: e.UPLOAD_TTL,
    trashTtlMs: e.TRASH_TTL,
    housekeepingIntervalMs: e.HOUSEKEEPING_INTERVAL,
    idleTimeoutMs: e.IDLE_TIMEOUT,
    shutdownGraceMs: e.SHUTDOWN_GRACE,
    minFreeDiskBytes: e.MIN_FREE_DISK_BYTES,
    defaultQuotaBytes: e.DEFAULT_QUOTA_BYTES,
    trustedProxies: e.TRUSTED_PROXIES,
    registration: e.REGISTRATION,
    registrationsPerHour: e.REGISTRATIONS_PER_HOUR,
    versionsMax: e.VERSIONS_MAX,
    logLevel: e.LOG_LEVEL,
  };
}

type Env = z.infer<typeof EnvSchema>;

/** The variables one storage driver needs, all present, or a ConfigError naming the first gap. */
function storageConfig(e: Env): StorageConfig {
  const required = (name: keyof Env): string => {
    const value = e[name];
    if (typeof value !== 'string' || value === '')
      throw new ConfigError(`${name}: required when STORAGE=${e.STORAGE}`);
    return value;
  };
  if (e.STORAGE === 'oss') {
    if (!e.OSS_REGION && !e.OSS_ENDPOINT)
      throw new ConfigError('OSS_REGION: required (or OSS_ENDPOINT) when STORAGE=oss');
    return {
      driver: 'oss',
      region: e.OSS_REGION,
      endpoint: e.OSS_ENDPOINT,
      bucket: required('OSS_BUCKET'),
      accessKeyId: required('OSS_ACCESS_KEY_ID'),
      accessKeySecret: required('OSS_ACCESS_KEY_SECRET'),
      stsToken: e.OSS_STS_TOKEN,
    };
  }
  if (e.STORAGE === 's3') {
    return {
      driver: 's3',
      endpoint: e.S3_ENDPOINT,
      region: e.S3_REGION,
      bucket: required('S3_BUCKET'),
      accessKeyId: required('S3_ACCESS_KEY_ID'),
      secretAccessKey: required('S3_SECRET_ACCESS_KEY'),
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
    };
  }
  return { driver: 'local' };
}
