// The one typed configuration, read from the environment and validated at start-up.
// A wrong value stops start-up with one line naming the variable (DESIGN.md, "Configuration").
import path from 'node:path';
import bytes from 'bytes';
import { z } from 'zod';

const GiB = 1024 ** 3;

const byteCount = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const parsed = /^\d+$/.test(raw) ? Number(raw) : bytes.parse(raw);
      if (parsed === null || !Number.isSafeInteger(parsed) || parsed <= 0) {
        ctx.addIssue({ code: 'custom', message: 'expected a byte count such as 1048576 or 10GB' });
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
  DEFAULT_QUOTA_BYTES: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '' || raw === 'unlimited') return null;
      const parsed = /^\d+$/.test(raw) ? Number(raw) : bytes.parse(raw);
      if (parsed === null || !Number.isSafeInteger(parsed) || parsed < 0) {
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
    defaultQuotaBytes: e.DEFAULT_QUOTA_BYTES,
    logLevel: e.LOG_LEVEL,
  };
}
