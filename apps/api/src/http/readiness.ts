// GET /readyz: ready when what this process's roles need is reachable. Issue 12: "/readyz per role
// checks only what that role needs" — a download replica stays in rotation while the broker is
// down, an account replica while the object store is.
import type { RequestHandler } from 'express';
import { QueryTypes } from 'sequelize';
import type { Role } from '../config.ts';
import type { Services } from '../services.ts';
import { freeBytes } from '../storage/data-dir.ts';

type Need = 'database' | 'store' | 'remote' | 'queue' | 'disk';

const NEEDS: Record<Role, Need[]> = {
  account: ['database'],
  files: ['database', 'store'],
  // Staged bytes land in DATA_DIR; a completed upload is handed to the transfer queue.
  upload: ['database', 'store', 'disk', 'queue'],
  download: ['database', 'store', 'remote'],
  web: [],
  transfer: ['database', 'store', 'remote', 'queue'],
};

function needsOf(roles: readonly Role[]): Set<Need> {
  return new Set(roles.flatMap((role) => NEEDS[role]));
}

/**
 * Why this process is not ready now (the message of its 503), or undefined when it is; the reason
 * is logged. Shared by the Express route and a worker-only process's own port.
 */
export function readinessCheck(services: Services): () => Promise<string | undefined> {
  const { config, logger } = services;
  const needs = needsOf(config.roles);
  const checks: Record<Exclude<Need, 'disk'>, () => Promise<unknown>> = {
    // A read: with the primary down but a replica up, this process still serves reads.
    database: () => services.sequelize.query('SELECT 1', { type: QueryTypes.SELECT }),
    store: () => services.store.check(),
    remote: async () => services.remote?.check(),
    queue: async () => services.transfer?.queue.check(),
  };
  return async () => {
    let free = Infinity;
    try {
      for (const need of ['database', 'store', 'remote', 'queue'] as const)
        if (needs.has(need)) await checks[need]();
      if (needs.has('disk')) free = await freeBytes(config.dataDir);
    } catch (err) {
      logger.warn({ err, roles: config.roles }, 'not ready');
      return 'Not ready';
    }
    // Issue 10: "make /readyz report the data directory's free space below a threshold".
    const { dataDir, minFreeDiskBytes } = config;
    if (free < minFreeDiskBytes) {
      logger.warn({ dataDir, free, minFreeDiskBytes }, 'not ready: DATA_DIR is almost full');
      return 'Not ready: DATA_DIR has less free space than MIN_FREE_DISK_BYTES';
    }
    return undefined;
  };
}

/** The body of a 503 from /readyz. */
export const notReadyBody = (message: string) => ({
  error: { code: 'service_unavailable', message },
});

export function readiness(services: Services): RequestHandler {
  const check = readinessCheck(services);
  return async (_req, res) => {
    const why = await check();
    if (why) res.status(503).json(notReadyBody(why));
    else res.json({ status: 'ready' });
  };
}
