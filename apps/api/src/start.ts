// Starts a filestore process: in the embedded default one process serves the SPA and the API and
// runs the transfer worker; SERVICES picks the roles of a process in a scaled-out deployment.
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { closeGracefully } from './http/drain.ts';
import { createHttpServer } from './http/idle-timeout.ts';
import { createLogger } from './logger.ts';
import {
  closeDatabases,
  createServices,
  startHousekeeping,
  StartupError,
  type ServiceOverrides,
  type Services,
} from './services.ts';
import { runTransfer } from './content/run-transfer.ts';

export interface Running {
  server: Server;
  services: Services;
  stop: () => Promise<void>;
}

async function listen(services: Services): Promise<Server> {
  // Every role but the transfer worker serves the app. A worker-only process needs no Express:
  // its port serves only its probes and /metrics.
  const app = services.config.roles.some((role) => role !== 'transfer')
    ? (await import('./app.ts')).createApp(services, services.logger)
    : (await import('./http/worker-port.ts')).workerPort(services);
  const server = createHttpServer(app, services.config.idleTimeoutMs);
  const { port } = services.config;
  // A taken port (an API and a worker on one host with the same PORT) is one line, not a stack.
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new StartupError(`PORT ${port}: ${err.message}`)));
    server.listen(port, resolve);
  });
  return server;
}

/**
 * Issue 10: "an uncaught exception or unhandled rejection is logged and never takes the process
 * down silently". Every request handles its own faults; one that slips through is logged loudly
 * and the process goes on serving everyone else.
 */
function logStrayErrors(logger: Logger): void {
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception; the process keeps running');
  });
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection; the process keeps running');
  });
}

export async function start(config: Config, overrides: ServiceOverrides = {}): Promise<Running> {
  // Every line names the process's roles, so a scaled-out deployment's logs say who wrote them.
  const logger = createLogger(config.logLevel, overrides.logDestination).child({
    role: config.roles.join(','),
  });
  const services = await createServices(config, logger, overrides);
  // First: a worker whose port is taken refuses before it takes any job.
  const server = await listen(services);
  const stopHousekeeping = startHousekeeping(services);
  const { transfer, remote } = services;
  const stopTransfer =
    transfer && remote && config.roles.includes('transfer')
      ? await runTransfer(transfer, remote, config)
      : undefined;
  logger.info(
    {
      port: config.port,
      roles: config.roles,
      dataDir: config.dataDir,
      database: services.sequelize.getDialect(),
      storage: config.storage.driver,
      queue: transfer ? (config.amqpUrls.length > 0 ? 'amqp' : 'inline') : 'none',
    },
    'filestore is running',
  );
  const stop = async () => {
    stopHousekeeping();
    // Both at once: the HTTP roles finish their requests while the worker finishes its jobs.
    await Promise.all([stopTransfer?.(), closeGracefully(server, config.shutdownGraceMs)]);
    await transfer?.queue.close();
    await services.uploads.hasher.idle();
    await closeDatabases(services);
  };
  return { server, services, stop };
}

/** Starts from the environment; a bad setting or an unusable store ends the process with one line. */
export async function startFromEnvironment(): Promise<Running> {
  try {
    const running = await start(loadConfig());
    logStrayErrors(running.services.logger);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        running.services.logger.info({ signal, roles: running.services.config.roles }, 'stopping');
        void running.stop().then(() => process.exit(0));
      });
    }
    return running;
  } catch (err) {
    if (err instanceof ConfigError)
      console.error(`filestore: invalid configuration: ${err.message}`);
    else if (err instanceof StartupError) console.error(`filestore: cannot start: ${err.message}`);
    else throw err;
    process.exit(1);
  }
}
