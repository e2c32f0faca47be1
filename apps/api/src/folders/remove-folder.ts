// DELETE /api/folders/:id: the folder, every folder below it and every file in them, in one
// transaction; each file gives its bytes back to the quota, then drops its content reference.
import type { Sequelize } from 'sequelize';
import { inTransaction } from '../db/transactions.ts';
import type { FileService } from '../files/service.ts';
import type { FolderService } from './service.ts';

export async function removeFolder(
  deps: { sequelize: Sequelize; folders: FolderService; files: FileService },
  userId: string,
  id: string,
): Promise<void> {
  const sha1s = await inTransaction(deps.sequelize, async (transaction) => {
    const ids = await deps.folders.subtree(userId, id, transaction);
    const released = await deps.files.removeInFolders(userId, ids, transaction);
    await deps.folders.destroy(ids, transaction);
    return released;
  });
  await deps.files.dropReferences(sha1s);
}
