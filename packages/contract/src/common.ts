import { z } from './zod.ts';

/** Every error answer: `{ error: { code, message } }` (DESIGN.md, "HTTP API"). */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found' }),
      message: z.string(),
      missing: z.array(z.number().int()).optional(),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Opaque ids: random base64url strings, never derived from names or time. */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an opaque id')
  .openapi({ example: 'q3dV0h1oUzy5o1Yx0Yf8mA' });

export const Sha1 = z
  .string()
  .regex(/^[0-9a-f]{40}$/, 'must be 40 lowercase hex digits')
  .openapi({ example: 'a9993e364706816aba3e25717850c26c9cd0d89d' });

export const ByteSize = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const MAX_NAME_LENGTH = 255;

// A file name is only ever data: it never becomes part of a path, but it still must be something a
// person can see and a browser can save, so separators and control characters are refused.
export const FileName = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  .refine((name) => !/[\p{Cc}/\\]/u.test(name), 'must not contain "/", "\\" or control characters')
  .refine((name) => name.trim() !== '' && name !== '.' && name !== '..', 'must be a real name')
  .openapi({ example: '报告 2026.pdf' });
