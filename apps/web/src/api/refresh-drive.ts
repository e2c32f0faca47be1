// After anything that changes what the drive holds: every list, the trash and the used bytes are
// read again (trashed items and versions count toward the quota).
import type { QueryClient } from '@tanstack/react-query';
import { filesQueryKey } from './get-files.ts';
import { foldersQueryKey } from './get-folders.ts';
import { meQueryKey } from './get-me.ts';
import { trashQueryKey } from './get-trash.ts';

export const refreshDrive = (queryClient: QueryClient) =>
  Promise.all(
    [filesQueryKey, foldersQueryKey, meQueryKey, trashQueryKey].map((queryKey) =>
      queryClient.invalidateQueries({ queryKey }),
    ),
  );
