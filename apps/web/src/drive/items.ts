// Files and folders picked in the drive (checkboxes, or the row being dragged): one reference
// type, the selection as a set of keys, and the drag payload that carries references between rows.
export interface ItemRef {
  kind: 'file' | 'folder';
  id: string;
}

/** A reference with the name the drive shows for it (for dialogs that name what they act on). */
export interface NamedRef extends ItemRef {
  name: string;
}

export type ItemKey = `${ItemRef['kind']}:${string}`;

export const itemKey = ({ kind, id }: ItemRef): ItemKey => `${kind}:${id}`;

export function itemOfKey(key: ItemKey): ItemRef {
  const colon = key.indexOf(':');
  return { kind: key.slice(0, colon) as ItemRef['kind'], id: key.slice(colon + 1) };
}

/** The selection with `key` added, or removed when it was there. */
export function toggleKey(selected: ReadonlySet<ItemKey>, key: ItemKey): Set<ItemKey> {
  const next = new Set(selected);
  if (!next.delete(key)) next.add(key);
  return next;
}

/** "Select all": every visible key, or none when all of them are selected already. */
export function toggleAll(
  selected: ReadonlySet<ItemKey>,
  visible: readonly ItemKey[],
): Set<ItemKey> {
  const all = visible.length > 0 && visible.every((key) => selected.has(key));
  return all ? new Set() : new Set(visible);
}

/** The ids of the selected files and folders, for the archive and for moves. */
export function splitRefs(refs: readonly ItemRef[]): { fileIds: string[]; folderIds: string[] } {
  return {
    fileIds: refs.filter((r) => r.kind === 'file').map((r) => r.id),
    folderIds: refs.filter((r) => r.kind === 'folder').map((r) => r.id),
  };
}

/** A drag of drive rows carries this type; a drag of files from the desktop never does. */
export const DRAG_TYPE = 'application/x-filestore-items';

export const encodeDrag = (refs: readonly ItemRef[]) => JSON.stringify(refs);

/** The rows a drop carries; anything else (a drag from another page) carries nothing. */
export function decodeDrag(text: string): ItemRef[] {
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (v): v is ItemRef =>
        typeof v === 'object' &&
        v !== null &&
        (v.kind === 'file' || v.kind === 'folder') &&
        typeof v.id === 'string',
    );
  } catch {
    return [];
  }
}

/** What to drag from a row: the whole selection when the row is in it, else the row alone. */
export function dragRefs(row: ItemRef, selected: ReadonlySet<ItemKey>): ItemRef[] {
  return selected.has(itemKey(row)) ? [...selected].map(itemOfKey) : [row];
}
