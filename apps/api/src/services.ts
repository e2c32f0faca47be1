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
import { LocalStore } from './storage/local-store.ts';

export interface Services {
  config: Config;
  sequelize: Sequelize;
  store: LocalStore;
  accounts: AccountService;
  files: FileService;
  instant: InstantUploads;
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
  const files = new FileService(
    sequelize,
    fileModels,
    new Contents(new ShardRouter(sequelize), store),
    accounts,
  );
  const instant = new InstantUploads(
    fileModels,
    files,
    store,
    await loadSecret(sequelize, 'instant-upload'),
  );
  return { config, sequelize, store, accounts, files, instant };
}

/** Periodic clean-up: expired sessions and challenges, staging files left by a crash. */
export function startHousekeeping(services: Services, everyMs = 10 * 60 * 1000): () => void {
  const run = async () => {
    await services.accounts.sessions.sweep();
    await services.instant.sweep();
    await services.store.sweepLeftovers(6 * 3600 * 1000);
  };
  const timer = setInterval(() => void run().catch(() => undefined), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
