// Moving and deleting many rows at once. The API has single-item routes only, so this runs them
// one after the other (two moves into one folder must not race for the same free name) and goes
// on past a failure; the first failure is reported once every item has been tried.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ItemRef } from '../drive/items.ts';
import { deleteFile } from './delete-file.ts';
import { deleteFolder } from './delete-folder.ts';
import { filesQueryKey } from './get-files.ts';
import { foldersQueryKey } from './get-folders.ts';
import { meQueryKey } from './get-me.ts';
import { updateFile } from './update-file.ts';
import { updateFolder } from './update-folder.ts';

async function eachItem(refs: readonly ItemRef[], act: (ref: ItemRef) => Promise<unknown>) {
  let firstFailure: unknown;
  for (const ref of refs) {
    try {
      await act(ref);
    } catch (err) {
      firstFailure ??= err;
    }
  }
  if (firstFailure !== undefined) throw firstFailure;
}

/** Moves files and folders into `folderId` (null: the root). */
export const moveItems = ({
  refs,
  folderId,
}: {
  refs: readonly ItemRef[];
  folderId: string | null;
}) =>
  eachItem(refs, (ref) =>
    ref.kind === 'file'
      ? updateFile({ id: ref.id, folderId })
      : updateFolder({ id: ref.id, parentId: folderId }),
  );

/** Deletes files, and folders with everything inside them. */
export const deleteItems = (refs: readonly ItemRef[]) =>
  eachItem(refs, (ref) => (ref.kind === 'file' ? deleteFile(ref.id) : deleteFolder(ref.id)));

/** A mutation that changes the drive: afterwards (success or not) every list is read again. */
function useDriveMutation<T>(mutationFn: (variables: T) => Promise<void>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () =>
      Promise.all(
        [filesQueryKey, foldersQueryKey, meQueryKey].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
}

export const useMoveItems = () => useDriveMutation(moveItems);
export const useDeleteItems = () => useDriveMutation(deleteItems);
