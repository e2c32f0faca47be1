import { z } from './zod.ts';
import { ByteSize, Id } from './common.ts';

/** Usernames: 3–32 letters (any script, Chinese included), digits, `_ . -`. */
export const Username = z
  .string()
  .regex(/^[\p{L}\p{N}_.-]{3,32}$/u, 'must be 3–32 letters, digits, "_", "." or "-"')
  .openapi({ example: 'alice' });

export const Password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(1024, 'must be at most 1024 characters');

export const Credentials = z
  .object({ username: Username, password: Password })
  .openapi('Credentials');
export type Credentials = z.infer<typeof Credentials>;

// Login accepts whatever was typed: a malformed name simply fails to match (401), it is not a 400.
export const LoginBody = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .openapi('LoginBody');

export const User = z
  .object({
    id: Id,
    username: z.string(),
    usedBytes: ByteSize,
    quotaBytes: ByteSize.nullable().openapi({ description: 'null means unlimited' }),
    role: z
      .enum(['admin', 'user'])
      .openapi({ description: 'the first account of a server is its administrator' }),
  })
  .openapi('User');
export type User = z.infer<typeof User>;

export const UserResponse = z.object({ user: User }).openapi('UserResponse');
export type UserResponse = z.infer<typeof UserResponse>;

export const LoginResponse = z.object({ token: z.string(), user: User }).openapi('LoginResponse');
export type LoginResponse = z.infer<typeof LoginResponse>;
