// POST /api/files/:id/versions/:versionId/restore → {file}: that content becomes current, and the
// current one becomes a version.
import type { FileItem, FileResponse } from '@filestore/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { versionsQueryKey } from './get-versions.ts';
import { refreshDrive } from './refresh-drive.ts';

export const restoreVersion = async ({
  fileId,
  versionId,
}: {
  fileId: string;
  versionId: string;
}): Promise<FileItem> =>
  (
    await apiFetch<FileResponse>(
      `/api/files/${encodeURIComponent(fileId)}/versions/${encodeURIComponent(versionId)}/restore`,
      { method: 'POST' },
    )
  ).file;

export function useRestoreVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restoreVersion,
    onSettled: () =>
      Promise.all([
        refreshDrive(queryClient),
        queryClient.invalidateQueries({ queryKey: versionsQueryKey }),
      ]),
  });
}
