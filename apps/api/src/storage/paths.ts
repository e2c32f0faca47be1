import path from 'node:path';

/** `root/key`, refusing any key that would resolve outside `root` (a key is never a user's name). */
export function pathInside(root: string, key: string): string {
  const base = path.resolve(root);
  const resolved = path.resolve(base, key);
  if (!resolved.startsWith(base + path.sep)) throw new Error(`key outside the store: ${key}`);
  return resolved;
}
