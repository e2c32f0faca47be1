// DELETE /api/folders/:id: the folder, every folder below it and every file in them, in one
// transaction; each file gives its bytes back to the quota and drops its content reference.
import type { Sequelize } from 'sequelize';
import { inTransaction } from '../db/transactions.ts';
import type { FileService } from '../files/service.ts';
import type { FolderService } from './service.ts';

export async function removeFolder(
  deps: { sequelize: Sequelize; folders: FolderService; files: FileService },
  userId: string,
  id: string,
): Promise<void> {
  const purge = await inTransaction(deps.sequelize, async (transaction, onRollback) => {
    const ids = await deps.folders.subtree(userId, id, transaction);
    const purgeBlobs = await deps.files.removeInFolders(userId, ids, transaction, onRollback);
    await deps.folders.destroy(ids, transaction);
    return purgeBlobs;
  });
  await purge();
}
