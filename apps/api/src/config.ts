// The one typed configuration, read from the environment and validated at start-up.
// A wrong value stops start-up with one line naming the variable (DESIGN.md, "Configuration").
import path from 'node:path';
import bytes from 'bytes';
import ms from 'ms';
import { z } from 'zod';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** "1048576", "8MB", "10GB" (powers of 1024) → bytes; undefined when it is not a size. */
function parseBytes(raw: string): number | undefined {
  const parsed = /^\d+$/.test(raw) ? Number(raw) : bytes.parse(raw);
  return parsed !== null && Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : undefined;
}

const byteCount = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const parsed = parseBytes(raw);
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: 'expected a byte count such as 1048576 or 10GB' });
        return z.NEVER;
      }
      return parsed;
    });

const duration = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const parsed = ms((raw || fallback) as ms.StringValue);
      if (typeof parsed !== 'number' || !(parsed > 0)) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration such as 90m or 24h' });
        return z.NEVER;
      }
      return parsed;
    });

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^mysql:\/\/.+\/[^/?]+/, 'expected mysql://user:pass@host:port/database')
    .optional(),
  UPLOAD_MAX_BYTES: byteCount(10 * GiB),
  CHUNK_SIZE: byteCount(8 * MiB),
  UPLOAD_TTL: duration('24h'),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  dataDir: string;
  /** undefined means the embedded SQLite database under dataDir. */
  databaseUrl: string | undefined;
  uploadMaxBytes: number;
  /** The default chunk size; raised per upload so that none has more than 10,000 chunks. */
  chunkSize: number;
  /** An unfinished upload expires this long (ms) after its last activity. */
  uploadTtlMs: number;
  defaultQuotaBytes: number | null;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0])}: ${issue.message}`);
  }
  const e = result.data;
  return {
    port: e.PORT,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    chunkSize: e.CHUNK_SIZE,
    uploadTtlMs: e.UPLOAD_TTL,
    defaultQuotaBytes: e.DEFAULT_QUOTA_BYTES,
    logLevel: e.LOG_LEVEL,
  };
}
