// "A name that collides in its folder is renamed ` (1)`, ` (2)`… (never an error, never a silent
// overwrite)." The suffix goes before the extension, as desktop file managers do.
import { MAX_NAME_LENGTH } from '@filestore/contract';

export function splitExtension(name: string): [stem: string, extension: string] {
  const dot = name.lastIndexOf('.');
  // A leading dot (".bashrc") starts a name, not an extension.
  return dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
}

export function withSuffix(name: string, n: number): string {
  const [stem, extension] = splitExtension(name);
  const suffix = ` (${n})`;
  const room = MAX_NAME_LENGTH - suffix.length - extension.length;
  return `${[...stem].slice(0, Math.max(room, 1)).join('')}${suffix}${extension}`;
}

/** The smallest n ≥ 1 whose suffixed name is not among `taken`. */
export function firstFreeSuffix(name: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const candidate = withSuffix(name, n);
    if (!taken.has(candidate)) return candidate;
  }
}
