// Trashing and moving rows, each followed by a toast with an Undo: a trash move asks nothing
// first (it can be undone), a move goes back where each item came from. Lists are read again
// after the action and after its undo, whether they worked or not.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { moveItems, restoreItems, settle, trashItems, type Placement } from '../api/drive-items.ts';
import { refreshDrive } from '../api/refresh-drive.ts';
import type { ItemRef, NamedRef } from '../drive/items.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { toasts, type ToastInput } from '../toasts/toast-store.ts';

/** The toast's words: the item's name when there is one, else how many. */
const toastText = (one: MessageKey, many: MessageKey, names: string[]): ToastInput =>
  names.length === 1
    ? { message: one, params: { name: names[0]! } }
    : { message: many, params: { count: names.length } };

export function useTrashItems() {
  const queryClient = useQueryClient();
  const refresh = () => refreshDrive(queryClient);
  return useMutation({
    mutationFn: async (refs: readonly NamedRef[]) => {
      const outcome = await trashItems(refs);
      const trashed = outcome.done;
      if (trashed.length > 0) {
        toasts.show({
          ...toastText(
            'toast.trashed',
            'toast.trashedMany',
            trashed.map((r) => r.name),
          ),
          undo: () => restoreItems(trashed).then(settle).finally(refresh),
        });
      }
      settle(outcome);
    },
    onSettled: refresh,
  });
}

export function useMoveItems() {
  const queryClient = useQueryClient();
  const refresh = () => refreshDrive(queryClient);
  return useMutation({
    mutationFn: async ({
      refs,
      folderId,
    }: {
      refs: readonly ItemRef[];
      folderId: string | null;
    }) => {
      const outcome = await moveItems(refs.map((ref): Placement => ({ ref, folderId })));
      const moved = outcome.done;
      if (moved.length > 0) {
        toasts.show({
          ...toastText(
            'toast.moved',
            'toast.movedMany',
            moved.map((m) => m.name),
          ),
          undo: () => moveItems(moved).then(settle).finally(refresh),
        });
      }
      settle(outcome);
    },
    onSettled: refresh,
  });
}
