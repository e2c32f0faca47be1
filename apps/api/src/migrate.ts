// Entry point of `npm run migrate`: brings every database of the deployment (DATABASE_URL and
// FILE_DB_URLS, or the embedded SQLite file) to this version's schema, once per deployment (a
// Kubernetes Job, a compose one-shot). Safe to run several at once: they take turns on a lock.
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase, openFileDatabases, tuneDatabase } from './db/connection.ts';
import { migrateDeployment, placedDatabases } from './db/schema.ts';
import { ShardRouter } from './db/shard-router.ts';
import { checkDataDir } from './storage/data-dir.ts';

async function migrateAll(): Promise<string> {
  const config = loadConfig();
  await checkDataDir(config.dataDir);
  const sequelize = openDatabase(config);
  const fileDatabases = openFileDatabases(config, sequelize);
  try {
    await sequelize.authenticate();
    await tuneDatabase(sequelize);
    const databases = placedDatabases(sequelize, fileDatabases, new ShardRouter(fileDatabases));
    const ran = await migrateDeployment(databases, config.dataDir);
    return ran.length > 0 ? `migrations run: ${ran.join(', ')}` : 'the schema is up to date';
  } finally {
    for (const database of new Set([sequelize, ...fileDatabases])) await database.close();
  }
}

try {
  console.log(`filestore: ${await migrateAll()}`);
} catch (err) {
  const prefix = err instanceof ConfigError ? 'invalid configuration: ' : 'migrate: ';
  console.error(`filestore: ${prefix}${(err as Error).message}`);
  process.exitCode = 1;
}
