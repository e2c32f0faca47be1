// DELETE /api/folders/:id: the folder, every folder below it and every file in them. A big tree
// goes in small transactions, deepest folders first, so it never holds the database (on SQLite,
// every writer) for long, and a failure half way leaves a smaller tree, never an orphan. Each file
// gives its bytes back to the quota, then drops its content reference.
import type { Sequelize } from 'sequelize';
import { inTransaction } from '../db/transactions.ts';
import type { FileService } from '../files/service.ts';
import { HttpError } from '../http/errors.ts';
import type { FolderService } from './service.ts';

/** Files or folders per transaction. */
const BATCH = 200;
/** Walks of the tree: another is needed only when folders were created inside meanwhile. */
const PASSES = 5;

interface Deps {
  sequelize: Sequelize;
  folders: FolderService;
  files: FileService;
}

export async function removeFolder(deps: Deps, userId: string, id: string): Promise<void> {
  await deps.folders.get(userId, id); // 404 when it is not the user's
  for (let pass = 0; pass < PASSES; pass++) {
    const levels = [[id]];
    for await (const level of deps.folders.levelsBelow(userId, [id]))
      levels.push(level.map((folder) => folder.id));
    const depthOf = new Map(levels.flatMap((level, depth) => level.map((f) => [f, depth])));
    for (let depth = levels.length - 1; depth >= 0; depth--) {
      // A child at this depth or above is one of the tree's own ancestors: a loop that corrupt
      // data might hold, which must not keep the folder. Any other child keeps it (it was created
      // inside meanwhile, or could not be deleted): its parent waits for the next pass.
      const loopsBack = (childId: string) => (depthOf.get(childId) ?? Infinity) <= depth;
      const level = levels[depth]!;
      for (let at = 0; at < level.length; at += BATCH)
        await removeBatch(deps, userId, level.slice(at, at + BATCH), loopsBack);
    }
    if (!(await deps.folders.exists(userId, id))) return;
  }
  throw new HttpError('folder_busy', 'The folder kept changing while it was deleted; try again');
}

/** The files of these folders, BATCH per transaction, then the folders with what arrived since. */
async function removeBatch(
  { sequelize, folders, files }: Deps,
  userId: string,
  folderIds: string[],
  loopsBack: (childId: string) => boolean,
): Promise<void> {
  for (let released = BATCH; released === BATCH;) {
    const sha1s = await inTransaction(sequelize, (transaction) =>
      files.removeInFolders(userId, folderIds, transaction, BATCH),
    );
    await files.dropReferences(sha1s);
    released = sha1s.length;
  }
  const late = await inTransaction(sequelize, async (transaction) => {
    const empty = await folders.destroyEmpty(userId, folderIds, loopsBack, transaction);
    return files.removeInFolders(userId, empty, transaction);
  });
  await files.dropReferences(late);
}
