// Wires the application together: database, migrations, storage, the transfer queue and the
// feature services.
import type { DestinationStream, Logger } from 'pino';
import type { Sequelize } from 'sequelize';
import { AccountService } from './auth/service.ts';
import { defineAccountModels } from './auth/models.ts';
import type { Config } from './config.ts';
import { openDatabase, openFileDatabases, tuneDatabase } from './db/connection.ts';
import { firstMissingMigration, migrateDeployment, placedDatabases } from './db/schema.ts';
import type { PlacedDatabase } from './db/schema.ts';
import { loadSecret } from './db/secrets.ts';
import { ShardRouter } from './db/shard-router.ts';
import { PrefixHasher } from './content/prefix-hasher.ts';
import { UploadStaging } from './content/staging.ts';
import { Contents } from './content/contents.ts';
import { InstantUploads } from './files/instant.ts';
import { defineFileModels } from './files/models.ts';
import { FileService } from './files/service.ts';
import { defineFolderModel } from './folders/models.ts';
import { FolderService } from './folders/service.ts';
import { FileTrash } from './files/trash.ts';
import { FolderTrash } from './folders/trash.ts';
import { Housekeeping } from './housekeeping/job.ts';
import { InlineQueue } from './queue/inline-queue.ts';
import type { TransferQueue } from './queue/transfer-queue.ts';
import { ShareAccess } from './shares/access.ts';
import { defineShareModels } from './shares/models.ts';
import { CodeHasher } from './shares/secrets.ts';
import { ShareService } from './shares/service.ts';
import { checkDataDir } from './storage/data-dir.ts';
import { LocalStore } from './storage/local-store.ts';
import { createRemoteStore, type RemoteStore } from './storage/remote-store.ts';
import { defineTrashModel } from './trash/models.ts';
import { TrashPurge } from './trash/purge.ts';
import { TrashService } from './trash/service.ts';
import { TransferRelay } from './content/transfer-relay.ts';
import { TransferWorker } from './content/transfer-worker.ts';
import { sweepExpiredUploads } from './uploads/cancel-upload.ts';
import type { UploadContext } from './uploads/context.ts';
import { defineUploadModels } from './uploads/models.ts';
import { UploadRepository } from './uploads/repository.ts';
import { ChunkLocks } from './uploads/chunk-lock.ts';
import { defineVersionModel } from './versions/models.ts';
import { FileVersions } from './versions/service.ts';

/** The transfer of staged bytes to the object store (STORAGE=oss|s3 only). */
export interface Transfer {
  queue: TransferQueue;
  relay: TransferRelay;
  worker: TransferWorker;
}

export interface Services {
  config: Config;
  logger: Logger;
  sequelize: Sequelize;
  /** The databases of the content tables (the main one, or those of FILE_DB_URLS). */
  fileDatabases: Sequelize[];
  store: LocalStore;
  remote: RemoteStore | undefined;
  transfer: Transfer | undefined;
  accounts: AccountService;
  files: FileService;
  folders: FolderService;
  versions: FileVersions;
  instant: InstantUploads;
  uploads: UploadContext;
  shares: ShareService;
  shareAccess: ShareAccess;
  trash: TrashService;
  trashPurge: TrashPurge;
  /** The deployment's periodic job (one process at a time); modules register their steps. */
  housekeeping: Housekeeping;
}

/** What tests put in place of the configured parts (e.g. a store held on a gate). */
export interface ServiceOverrides {
  remote?: RemoteStore;
  /** Where the logs go instead of stdout. */
  logDestination?: DestinationStream;
}

/** Start-up cannot go on (a missing bucket, wrong credentials): one line says why. */
export class StartupError extends Error {}

async function checkedRemoteStore(
  config: Config,
  overrides: ServiceOverrides,
): Promise<RemoteStore | undefined> {
  const remote = overrides.remote ?? (await createRemoteStore(config.storage));
  await remote?.check().catch((err: unknown) => {
    throw new StartupError(`STORAGE=${remote.driver}: ${(err as Error).message}`, { cause: err });
  });
  return remote;
}

/** RabbitMQ when AMQP_URL is set (amqplib is loaded only then), else the in-process queue. */
async function openTransferQueue(
  config: Config,
  remote: RemoteStore,
  logger: Logger,
  onReconnect: () => void,
): Promise<TransferQueue> {
  if (config.amqpUrls.length === 0) return new InlineQueue(config.transferRetryDelaysMs, logger);
  const { AmqpQueue } = await import('./queue/amqp-queue.ts');
  return AmqpQueue.open({
    urls: config.amqpUrls,
    namespace: config.amqpNamespace,
    queueType: config.amqpQueueType,
    target: remote.driver,
    retryDelaysMs: config.transferRetryDelaysMs,
    logger,
    onReconnect,
  });
}

/** MIGRATE=auto migrates (the embedded default); MIGRATE=check refuses an older schema. */
async function prepareSchema(config: Config, databases: PlacedDatabase[]): Promise<void> {
  if (config.migrate === 'auto') {
    await migrateDeployment(databases, config.dataDir);
    return;
  }
  const missing = await firstMissingMigration(databases);
  if (missing) {
    throw new StartupError(
      `the database schema is older than this version (migration ${missing} has not run): run \`npm run migrate\` first`,
    );
  }
}

export async function createServices(
  config: Config,
  logger: Logger,
  overrides: ServiceOverrides = {},
): Promise<Services> {
  const remote = await checkedRemoteStore(config, overrides);
  // Before the SQLite database opens in it: one line naming the variable, not a driver's stack.
  await checkDataDir(config.dataDir).catch((err: unknown) => {
    throw new StartupError(`DATA_DIR: ${(err as Error).message}`, { cause: err });
  });
  const sequelize = openDatabase(config);
  await sequelize.authenticate();
  await tuneDatabase(sequelize);
  const fileDatabases = openFileDatabases(config, sequelize);
  const shards = new ShardRouter(fileDatabases);
  await prepareSchema(config, placedDatabases(sequelize, fileDatabases, shards));

  const store = new LocalStore(config.dataDir);
  await store.check();

  let relay: TransferRelay | undefined;
  const contents = new Contents(shards, { local: store, remote }, (job) => relay?.notify(job));
  let transfer: Transfer | undefined;
  if (remote) {
    const queue = await openTransferQueue(config, remote, logger, () => relay?.sweepInBackground());
    relay = new TransferRelay(contents, queue, logger);
    transfer = { queue, relay, worker: new TransferWorker(contents, store, remote) };
  }

  const accounts = new AccountService(defineAccountModels(sequelize), config.defaultQuotaBytes);
  const fileModels = defineFileModels(sequelize);
  const Folder = defineFolderModel(sequelize);
  const folders = new FolderService(sequelize, Folder);
  const versions = new FileVersions(
    sequelize,
    defineVersionModel(sequelize),
    accounts,
    config.versionsMax,
  );
  const files = new FileService(sequelize, fileModels, contents, accounts, folders, versions);
  const instant = new InstantUploads(
    fileModels,
    files,
    await loadSecret(sequelize, 'instant-upload'),
    accounts.throttle,
  );
  const staging = new UploadStaging(config.stagingDir);
  await staging.check();
  const repository = new UploadRepository(
    sequelize,
    defineUploadModels(sequelize),
    config.uploadTtlMs,
  );
  const uploads: UploadContext = {
    repository,
    staging,
    hasher: new PrefixHasher(repository, staging, (err) =>
      logger.warn({ err }, 'the running SHA-1 of an upload stopped; complete will finish it'),
    ),
    chunkLocks: new ChunkLocks(),
    files,
    folders,
    accounts,
    instant,
    store,
    chunkSize: config.chunkSize,
    uploadMaxBytes: config.uploadMaxBytes,
  };
  const { Share, Resume } = defineShareModels(sequelize);
  const codes = new CodeHasher(await loadSecret(sequelize, 'share-code'));
  const TrashItem = defineTrashModel(sequelize);
  const trashParts = {
    sequelize,
    TrashItem,
    files: new FileTrash(fileModels, accounts),
    folders: new FolderTrash(Folder, folders),
  };
  const trash = new TrashService({ ...trashParts, folderService: folders });
  const trashPurge = new TrashPurge({ ...trashParts, references: files });
  const housekeeping = new Housekeeping(sequelize, logger, config.housekeepingIntervalMs);
  housekeeping.register('trash', () => trashPurge.purgeExpired(config.trashTtlMs));
  // A purged file's versions go with it; VERSIONS_MAX lowered since applies to every file.
  trashPurge.onPurge((purged, transaction) =>
    versions.removeAllOf(
      purged.map((file) => file.id),
      transaction,
    ),
  );
  housekeeping.register('versions', () =>
    versions.pruneAll((sha1s) => files.dropReferences(sha1s)),
  );
  return {
    config,
    logger,
    sequelize,
    fileDatabases,
    store,
    remote,
    transfer,
    accounts,
    files,
    folders,
    versions,
    instant,
    uploads,
    shares: new ShareService(Share, files, codes),
    shareAccess: new ShareAccess(Share, Resume, files, accounts, codes),
    trash,
    trashPurge,
    housekeeping,
  };
}

export async function closeDatabases(services: Services): Promise<void> {
  for (const database of new Set([services.sequelize, ...services.fileDatabases])) {
    await database.close();
  }
}

/**
 * Periodic clean-up in every process: expired sessions, challenges and uploads, staging files left
 * by a crash; and the deployment's housekeeping job (housekeeping/), which one process at a time runs.
 */
export function startHousekeeping(services: Services, everyMs = 5 * 60 * 1000): () => void {
  const run = async () => {
    await services.accounts.sessions.sweep();
    await services.accounts.throttle.sweep();
    await services.instant.sweep();
    await services.shareAccess.sweep();
    await sweepExpiredUploads(services.uploads);
    await services.store.sweepLeftovers(6 * 3600 * 1000);
  };
  const timer = setInterval(() => void run().catch(() => undefined), everyMs);
  timer.unref();
  const stopJob = services.housekeeping.start();
  return () => {
    clearInterval(timer);
    stopJob();
  };
}
