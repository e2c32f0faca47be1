// Seeds a user's root folder with `count` more files, with the API stopped, through the API's own
// models (its ids, columns and shard tables): instant upload would take hours (100 probes a minute
// per user), and the service's one transaction per file, which looks for a free name among the
// folder's entries, grows quadratic at 10,000. Every entry references the content of the user's
// first file, whose reference count and the user's used bytes grow to match. Runs under tsx (the
// bench registers it), since it loads the API's TypeScript sources.
import { loadConfig } from '../apps/api/src/config.ts';
import { ShardRouter } from '../apps/api/src/db/shard-router.ts';
import { newId } from '../apps/api/src/ids.ts';
import { createLogger } from '../apps/api/src/logger.ts';
import { closeDatabases, createServices } from '../apps/api/src/services.ts';

const BATCH = 1000;

/** Adds entries seed-00000.bin… beside the one file of `userId`, for the same content. */
export async function seedListing(env, { userId, count }) {
  const config = loadConfig({ ...env, SERVICES: 'files', MIGRATE: 'check', LOG_LEVEL: 'warn' });
  const services = await createServices(config, createLogger('warn'));
  const { UserFile, User } = services.sequelize.models;
  try {
    const first = await UserFile.findOne({ where: { userId, alive: 1 } });
    const { folderId, sha1 } = first;
    const size = Number(first.size);
    for (let done = 0; done < count; done += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, count - done) }, (_, i) => ({
        id: newId(),
        userId,
        folderId,
        name: `seed-${String(done + i).padStart(5, '0')}.bin`,
        sha1,
        size,
        alive: 1,
        deletedAt: null,
      }));
      await UserFile.bulkCreate(rows);
    }
    await new ShardRouter(services.fileDatabases)
      .contentModel(sha1)
      .increment('refCount', { by: count, where: { sha1 } });
    await User.increment({ usedBytes: count * size }, { where: { id: userId } });
  } finally {
    await closeDatabases(services);
  }
}
