import { z } from './zod.ts';

/** Every error answer: `{ error: { code, message } }` (DESIGN.md, "HTTP API"). */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found' }),
      message: z.string(),
      missing: z.array(z.number().int()).optional(),
      offset: z
        .number()
        .int()
        .optional()
        .openapi({ description: 'offset_mismatch: the bytes of the chunk the server holds' }),
      fileId: z
        .string()
        .optional()
        .openapi({ description: 'name_taken: the file holding the name' }),
      folderId: z
        .string()
        .optional()
        .openapi({ description: 'name_taken: the folder holding the name' }),
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

/** A name's limit in UTF-8 bytes (not UTF-16 units): what zip readers and file systems allow. */
export const MAX_NAME_BYTES = 255;

/** The bytes of one code point in UTF-8 (a lone surrogate counts as its replacement, 3). */
export const utf8Bytes = (codePoint: number): number =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

export function utf8Length(text: string): number {
  let length = 0;
  for (const char of text) length += utf8Bytes(char.codePointAt(0)!);
  return length;
}

// Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) make "gpj.exe" display as "exe.jpg";
// other format characters (zero-width U+200B–U+200F, U+FEFF) and control characters hide or break
// what a person sees, as do the line and paragraph separators U+2028/U+2029. Lone surrogates are
// not text at all (they have no UTF-8 form).
const UNSEEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;

// A file name is only ever data: it never becomes part of a path, but it still must be something a
// person can see and a browser can save, so separators and invisible characters are refused. Names
// are stored in NFC, so "é" typed on a Mac (NFD) and on Windows is one name. Every path that takes
// a name from a user (files, folders, uploads, the form upload's filename, archive names) uses this.
export const FileName = z
  .string()
  .normalize('NFC')
  .min(1, 'must not be empty')
  .refine(
    (name) => utf8Length(name) <= MAX_NAME_BYTES,
    `must be at most ${MAX_NAME_BYTES} bytes in UTF-8`,
  )
  .refine((name) => !/[/\\]/.test(name), 'must not contain "/" or "\\"')
  .refine(
    (name) => !UNSEEN_CHARACTERS.test(name),
    'must not contain control, format or bidirectional control characters',
  )
  .refine((name) => name.trim() !== '' && name !== '.' && name !== '..', 'must be a real name')
  .openapi({
    description: `stored in NFC; at most ${MAX_NAME_BYTES} UTF-8 bytes; no "/", "\\", control, format or bidirectional control characters`,
    example: '报告 2026.pdf',
  });
