// "A name that collides in its folder is renamed ` (1)`, ` (2)`… (never an error, never a silent
// overwrite)." The suffix goes before the extension, as desktop file managers do.
import { MAX_NAME_LENGTH } from '@filestore/contract';
import {
  Op,
  UniqueConstraintError,
  type Model,
  type ModelStatic,
  type Transaction,
  type WhereOptions,
} from 'sequelize';

export function splitExtension(name: string): [stem: string, extension: string] {
  const dot = name.lastIndexOf('.');
  // A leading dot (".bashrc") starts a name, not an extension.
  return dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
}

/** `kind`: a file's suffix goes before its extension; a folder has none ("v1.2 (1)"). */
export type NameKind = 'file' | 'folder';

export function withSuffix(name: string, n: number, kind: NameKind = 'file'): string {
  const [stem, extension] = kind === 'file' ? splitExtension(name) : [name, ''];
  const suffix = ` (${n})`;
  const room = MAX_NAME_LENGTH - suffix.length - extension.length;
  return `${[...stem].slice(0, Math.max(room, 1)).join('')}${suffix}${extension}`;
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
      const prefix = kind === 'file' ? splitExtension(name)[0] : name;
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
