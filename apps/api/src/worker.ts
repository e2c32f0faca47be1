// Entry point of a transfer worker process (`npm run worker`): the `transfer` role alone, running
// the same code the single-process default runs in-process. `npm run worker -- --requeue-dead`
// moves the dead-lettered jobs back into the work queue (once the store is repaired) and exits.
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createServices } from './services.ts';
import { startFromEnvironment } from './start.ts';

if (process.argv.includes('--requeue-dead')) {
  const config = loadConfig();
  const services = await createServices(config, createLogger(config.logLevel));
  const { transfer, remote } = services;
  const moved = transfer && remote ? await transfer.queue.requeueDead(remote.driver) : 0;
  console.log(`filestore: ${moved} dead-lettered transfer jobs re-queued`);
  await transfer?.queue.close();
  await services.sequelize.close();
} else {
  process.env.SERVICES = 'transfer';
  await startFromEnvironment();
}
