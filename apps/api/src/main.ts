// Entry point: one process serving the SPA and the API (the embedded default).
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { createServices, startHousekeeping, type Services } from './services.ts';

export interface Running {
  server: Server;
  services: Services;
  stop: () => Promise<void>;
}

export async function start(config: Config): Promise<Running> {
  const logger = createLogger(config.logLevel);
  const services = await createServices(config);
  const stopHousekeeping = startHousekeeping(services);
  const app = createApp(services, logger);
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(config.port, () => resolve(listening));
  });
  // Uploads of many GiB take long: no request timeout, but idle sockets still close.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  logger.info(
    { port: config.port, dataDir: config.dataDir, database: services.sequelize.getDialect() },
    'filestore is listening',
  );
  const stop = async () => {
    stopHousekeeping();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await services.sequelize.close();
  };
  return { server, services, stop };
}

const isEntryPoint = import.meta.url === `file://${process.argv[1]}`;
if (isEntryPoint) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`filestore: invalid configuration: ${err.message}`);
    process.exit(1);
  }
  const { stop } = await start(config);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stop().then(() => process.exit(0));
    });
  }
}
