import { z } from './zod.ts';
import { ByteSize, Id } from './common.ts';

const TEN_YEARS_SECONDS = 10 * 366 * 24 * 3600;
const DateTime = z.string().openapi({ format: 'date-time' });

/** The extraction code (提取码): characters without look-alikes (no 0/O, 1/I/L). */
export const SHARE_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** A short code is easy to read out; a long one outlasts the per-link guessing ceiling for ages. */
export const SHARE_CODE_LENGTHS = { short: 4, long: 8 } as const;
export type ShareCodeKind = keyof typeof SHARE_CODE_LENGTHS;

/** Share tokens: ≥ 128 random bits in base62. */
export const ShareToken = z
  .string()
  .regex(/^[0-9A-Za-z]{22,64}$/, 'must be a share token')
  .openapi({ example: '6Jz0Qm3yVt8XbLr2Kw9PaE' });

export const ShareTokenParams = z.object({ token: ShareToken });

export const CreateShareBody = z
  .object({
    fileId: Id,
    expiresInSeconds: z
      .number()
      .int()
      .min(60)
      .max(TEN_YEARS_SECONDS)
      .optional()
      .openapi({ description: 'absent: never expires' }),
    withCode: z
      .union([z.boolean(), z.enum(['short', 'long'])])
      .default(false)
      .openapi({
        description: `true or "short": a ${SHARE_CODE_LENGTHS.short}-character code; "long": ${SHARE_CODE_LENGTHS.long} characters`,
      }),
    maxDownloads: z.number().int().min(1).max(1_000_000).optional(),
  })
  .openapi('CreateShareBody');
export type CreateShareBody = z.input<typeof CreateShareBody>;

export const ShareCreated = z
  .object({
    share: z.object({
      token: ShareToken,
      url: z.string().openapi({ description: 'the public page, /s/:token' }),
      code: z.string().optional().openapi({ description: 'shown once; stored hashed' }),
      expiresAt: DateTime.nullable(),
    }),
  })
  .openapi('ShareCreated');
export type ShareCreated = z.infer<typeof ShareCreated>;

export const ShareItem = z
  .object({
    token: ShareToken,
    url: z.string(),
    fileId: Id,
    name: z.string(),
    size: ByteSize,
    hasCode: z.boolean(),
    expiresAt: DateTime.nullable(),
    maxDownloads: z.number().int().nullable(),
    downloads: z.number().int().nonnegative(),
    views: z.number().int().nonnegative(),
    createdAt: DateTime,
  })
  .openapi('ShareItem');
export type ShareItem = z.infer<typeof ShareItem>;

export const ListSharesResponse = z
  .object({
    items: z.array(ShareItem).openapi({ description: 'newest first; revoked not listed' }),
  })
  .openapi('ListSharesResponse');
export type ListSharesResponse = z.infer<typeof ListSharesResponse>;

/** What a visitor of /s/:token sees. */
export const PublicShare = z
  .object({
    name: z.string(),
    size: ByteSize,
    owner: z.string(),
    expiresAt: DateTime.nullable(),
  })
  .openapi('PublicShare');
export type PublicShare = z.infer<typeof PublicShare>;

/** The code travels in `X-Share-Code`, or in `?code=` so a plain link can download. */
export const SHARE_CODE_HEADER = 'X-Share-Code';
export const ShareCodeQuery = z.object({ code: z.string().max(64).optional() });
