// Trashing and moving rows, each followed by a toast with an Undo: a trash move asks nothing
// first (it can be undone), a move goes back where each item came from. Lists are read again
// after the action and after its undo, whether they worked or not.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  moveItems,
  restoreItems,
  settle,
  trashItems,
  type Outcome,
  type Placement,
} from '../api/drive-items.ts';
import { refreshDrive } from '../api/refresh-drive.ts';
import type { ItemRef, NamedRef } from '../drive/items.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { toasts, type ToastInput } from '../toasts/toast-store.ts';

/** The toast's words: the item's name when there is one, else how many. */
const toastText = (one: MessageKey, many: MessageKey, names: string[]): ToastInput =>
  names.length === 1
    ? { message: one, params: { name: names[0]! } }
    : { message: many, params: { count: names.length } };

/**
 * A mutation that runs `act` over many items; what it did (even when some items failed) gets a
 * toast whose Undo runs `undo` over exactly those; the first failure is the mutation's error.
 */
function useUndoable<V, T extends { name: string }>(
  act: (variables: V) => Promise<Outcome<T>>,
  undo: (done: T[]) => Promise<Outcome<unknown>>,
  words: { one: MessageKey; many: MessageKey },
) {
  const queryClient = useQueryClient();
  const refresh = () => refreshDrive(queryClient);
  return useMutation({
    mutationFn: async (variables: V) => {
      const outcome = await act(variables);
      const { done } = outcome;
      if (done.length > 0) {
        const names = done.map((item) => item.name);
        toasts.show({
          ...toastText(words.one, words.many, names),
          undo: () => undo(done).then(settle).finally(refresh),
        });
      }
      settle(outcome);
    },
    onSettled: refresh,
  });
}

export const useTrashItems = () =>
  useUndoable((refs: readonly NamedRef[]) => trashItems(refs), restoreItems, {
    one: 'toast.trashed',
    many: 'toast.trashedMany',
  });

export const useMoveItems = () =>
  useUndoable(
    ({ refs, folderId }: { refs: readonly ItemRef[]; folderId: string | null }) =>
      moveItems(refs.map((ref): Placement => ({ ref, folderId }))),
    moveItems, // each back to the folder it came from
    { one: 'toast.moved', many: 'toast.movedMany' },
  );
