import type { Sequelize } from 'sequelize';
import { inTransaction } from '../db/transactions.ts';
import type { UserFileRow } from '../files/models.ts';
import type { FileService } from '../files/service.ts';
import type { FileVersions } from './service.ts';

/**
 * POST /api/files/:id/versions/:versionId/restore → 200 {file}: "that content becomes current; the
 * current one becomes a version". Under the file's row lock, the version's reference passes to the
 * file and the file's to a new version: no reference count changes (only a prune drops some).
 */
export async function restoreVersion(
  deps: { sequelize: Sequelize; files: FileService; versions: FileVersions },
  userId: string,
  fileId: string,
  versionId: string,
): Promise<UserFileRow> {
  const { files, versions } = deps;
  const { row, released } = await inTransaction(deps.sequelize, async (transaction) => {
    const file = await files.get(userId, fileId, transaction);
    const version = await versions.take(file.id, versionId, transaction);
    const content = { sha1: version.sha1, size: Number(version.size) };
    return files.replaceContent(file, content, 0, transaction);
  });
  await files.dropReferences(released);
  return row;
}
