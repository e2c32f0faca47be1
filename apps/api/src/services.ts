// Wires the application together: database, migrations, storage and the feature services.
import type { Sequelize } from 'sequelize';
import { AccountService } from './auth/service.ts';
import { defineAccountModels } from './auth/models.ts';
import type { Config } from './config.ts';
import { openDatabase, tuneDatabase } from './db/connection.ts';
import { migrate } from './db/migrate.ts';
import { loadSecret } from './db/secrets.ts';
import { ShardRouter } from './db/shard-router.ts';
import { Contents } from './files/contents.ts';
import { InstantUploads } from './files/instant.ts';
import { defineFileModels } from './files/models.ts';
import { FileService } from './files/service.ts';
import { defineFolderModel } from './folders/models.ts';
import { FolderService } from './folders/service.ts';
import { ShareAccess } from './shares/access.ts';
import { defineShareModel } from './shares/models.ts';
import { CodeHasher } from './shares/secrets.ts';
import { ShareService } from './shares/service.ts';
import { LocalStore } from './storage/local-store.ts';
import { sweepExpiredUploads } from './uploads/cancel-upload.ts';
import type { UploadContext } from './uploads/context.ts';
import { defineUploadModels } from './uploads/models.ts';
import { UploadRepository } from './uploads/repository.ts';
import { ChunkStaging } from './uploads/staging.ts';

export interface Services {
  config: Config;
  sequelize: Sequelize;
  store: LocalStore;
  accounts: AccountService;
  files: FileService;
  folders: FolderService;
  instant: InstantUploads;
  uploads: UploadContext;
  shares: ShareService;
  shareAccess: ShareAccess;
}

export async function createServices(config: Config): Promise<Services> {
  const sequelize = openDatabase(config);
  await sequelize.authenticate();
  await tuneDatabase(sequelize);
  await migrate(sequelize);

  const store = new LocalStore(config.dataDir);
  await store.init();

  const accounts = new AccountService(defineAccountModels(sequelize), config.defaultQuotaBytes);
  const fileModels = defineFileModels(sequelize);
  const folders = new FolderService(sequelize, defineFolderModel(sequelize));
  const files = new FileService(
    sequelize,
    fileModels,
    new Contents(new ShardRouter(sequelize), store),
    accounts,
    folders,
  );
  const instant = new InstantUploads(
    fileModels,
    files,
    store,
    await loadSecret(sequelize, 'instant-upload'),
  );
  const uploads: UploadContext = {
    repository: new UploadRepository(sequelize, defineUploadModels(sequelize), config.uploadTtlMs),
    staging: new ChunkStaging(config.dataDir),
    files,
    folders,
    accounts,
    store,
    chunkSize: config.chunkSize,
    uploadMaxBytes: config.uploadMaxBytes,
  };
  const Share = defineShareModel(sequelize);
  const codes = new CodeHasher(await loadSecret(sequelize, 'share-code'));
  return {
    config,
    sequelize,
    store,
    accounts,
    files,
    folders,
    instant,
    uploads,
    shares: new ShareService(Share, files, codes),
    shareAccess: new ShareAccess(Share, files, accounts, codes),
  };
}

/** Periodic clean-up: expired sessions, challenges and uploads, staging files left by a crash. */
export function startHousekeeping(services: Services, everyMs = 5 * 60 * 1000): () => void {
  const run = async () => {
    await services.accounts.sessions.sweep();
    await services.instant.sweep();
    await sweepExpiredUploads(services.uploads);
    await services.store.sweepLeftovers(6 * 3600 * 1000);
  };
  const timer = setInterval(() => void run().catch(() => undefined), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
