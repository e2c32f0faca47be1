// "A name that collides in its folder is renamed ` (1)`, ` (2)`… unless the request says
// `onConflict=replace` … or `onConflict=fail` (409 `name_taken`)." The suffix goes before the
// extension, as desktop file managers do.
import { MAX_NAME_BYTES, utf8Bytes, utf8Length } from '@filestore/contract';
import {
  Op,
  UniqueConstraintError,
  type Model,
  type ModelStatic,
  type Transaction,
  type WhereOptions,
} from 'sequelize';
import { HttpError } from '../http/errors.ts';

/** 409 name_taken, naming the file or folder that holds the name. */
export const nameTaken = (holder: { fileId: string } | { folderId: string }) =>
  new HttpError('name_taken', 'That name is taken in this folder', { details: holder });

// The longest suffix withFreeName may add: " (" + up to 16 digits + ")".
const LONGEST_SUFFIX_BYTES = 19;

export function splitExtension(name: string): [stem: string, extension: string] {
  const dot = name.lastIndexOf('.');
  // A leading dot (".bashrc") starts a name, not an extension.
  return dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
}

/** `kind`: a file's suffix goes before its extension; a folder has none ("v1.2 (1)"). */
export type NameKind = 'file' | 'folder';

/** The longest start of `text` that fits in `maxBytes` of UTF-8, cut between code points. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += utf8Bytes(char.codePointAt(0)!);
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return text.slice(0, end);
}

/** `stem + ending`, the stem shortened so that the whole fits in MAX_NAME_BYTES. */
export const fitName = (stem: string, ending: string): string =>
  `${truncateUtf8(stem, MAX_NAME_BYTES - utf8Length(ending))}${ending}`;

/** Where a suffix goes: before the extension, unless that leaves no room for one. */
function splitForSuffix(name: string, kind: NameKind): [stem: string, extension: string] {
  const [stem, extension] = kind === 'file' ? splitExtension(name) : [name, ''];
  return utf8Length(extension) + LONGEST_SUFFIX_BYTES < MAX_NAME_BYTES
    ? [stem, extension]
    : [name, ''];
}

/**
 * `name` with " (n)" before its extension. "Names are at most 255 UTF-8 bytes": a long stem is
 * shortened, between code points, to make room.
 */
export function withSuffix(name: string, n: number, kind: NameKind = 'file'): string {
  const [stem, extension] = splitForSuffix(name, kind);
  return fitName(stem, ` (${n})${extension}`);
}

/** What every suffixed form of `name` starts with: its stem shortened for the longest suffix. */
function suffixedPrefix(name: string, kind: NameKind): string {
  const [stem, extension] = splitForSuffix(name, kind);
  return truncateUtf8(stem, MAX_NAME_BYTES - LONGEST_SUFFIX_BYTES - utf8Length(extension));
}

/** The smallest n ≥ 1 whose suffixed name is not among `taken`. */
export function firstFreeSuffix(
  name: string,
  taken: ReadonlySet<string>,
  kind: NameKind = 'file',
): string {
  for (let n = 1; ; n++) {
    const candidate = withSuffix(name, n, kind);
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * Runs `write` with `name`, or, when a unique index says it is taken, with ` (1)`, ` (2)`… added.
 * `namesStartingWith(prefix)` lists the names in the same folder that could collide.
 */
export async function withFreeName<T>(
  name: string,
  kind: NameKind,
  namesStartingWith: (prefix: string) => Promise<ReadonlySet<string>>,
  write: (name: string) => Promise<T>,
): Promise<T> {
  let candidate = name;
  for (let tries = 0; ; tries++) {
    try {
      return await write(candidate);
    } catch (err) {
      if (!(err instanceof UniqueConstraintError) || tries >= 5) throw err;
      const prefix = suffixedPrefix(name, kind);
      candidate = firstFreeSuffix(name, await namesStartingWith(prefix), kind);
    }
  }
}

/** For withFreeName: the names in `scope` (one folder of one user) that start with a prefix. */
export const namesIn =
  (model: ModelStatic<Model & { name: string }>, scope: WhereOptions, transaction: Transaction) =>
  async (prefix: string): Promise<ReadonlySet<string>> => {
    const rows = await model.findAll({
      attributes: ['name'],
      where: { ...scope, name: { [Op.startsWith]: prefix } },
      transaction,
    });
    return new Set(rows.map((row) => row.name));
  };
