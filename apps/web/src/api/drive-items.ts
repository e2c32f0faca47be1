// Moving, trashing and restoring many rows at once. The API has single-item routes only, so this
// runs them one after the other (two moves into one folder must not race for the same free name)
// and goes on past a failure. Each returns what it did, so that it can be undone, and the first
// failure, to report once every item has been tried.
import type { ItemRef, NamedRef } from '../drive/items.ts';
import { deleteFile } from './delete-file.ts';
import { deleteFolder } from './delete-folder.ts';
import { getFile } from './get-file.ts';
import { getFolder } from './get-folders.ts';
import { restoreTrashItem } from './restore-trash-item.ts';
import { updateFile } from './update-file.ts';
import { updateFolder } from './update-folder.ts';

export interface Outcome<T> {
  done: T[];
  /** The first failure; undefined when every item went through. */
  failure?: unknown;
}

async function eachItem<I, T>(items: readonly I[], act: (item: I) => Promise<T>) {
  const outcome: Outcome<T> = { done: [] };
  for (const item of items) {
    try {
      outcome.done.push(await act(item));
    } catch (err) {
      outcome.failure ??= err;
    }
  }
  return outcome;
}

/** An item and a folder (null: the root): where it goes, or where it was. */
export interface Placement {
  ref: ItemRef;
  folderId: string | null;
}

/** A moved item: its name now, and the folder it came from (what an undo moves it back to). */
export interface Moved extends Placement {
  name: string;
}

const folderOf = async (ref: ItemRef): Promise<string | null> =>
  ref.kind === 'file'
    ? (await getFile(ref.id)).folderId
    : (await getFolder(ref.id)).folder.parentId;

/** Moves each item into its folder; the undo of a move is a move back to where each came from. */
export const moveItems = (placements: readonly Placement[]) =>
  eachItem(placements, async ({ ref, folderId }): Promise<Moved> => {
    const from = await folderOf(ref);
    const { name } =
      ref.kind === 'file'
        ? await updateFile({ id: ref.id, folderId })
        : await updateFolder({ id: ref.id, parentId: folderId });
    return { ref, folderId: from, name };
  });

/** Moves files, and folders with everything inside them, to the trash. */
export const trashItems = (refs: readonly NamedRef[]) =>
  eachItem(refs, async (ref) => {
    await (ref.kind === 'file' ? deleteFile(ref.id) : deleteFolder(ref.id));
    return ref;
  });

/** Takes items out of the trash, back where they were (the undo of trashItems). */
export const restoreItems = (refs: readonly NamedRef[]) =>
  eachItem(refs, async (ref) => {
    await restoreTrashItem(ref.id);
    return ref;
  });

/** The items done, or the first failure. */
export function settle<T>({ done, failure }: Outcome<T>): T[] {
  if (failure !== undefined) throw failure;
  return done;
}
