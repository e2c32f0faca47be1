// The Express application: the API under /api, health checks, the OpenAPI document and the SPA.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { accountRoutes } from './auth/routes.ts';
import { fileRoutes } from './files/routes.ts';
import { withReplicaReads } from './db/replicas.ts';
import { folderRoutes } from './folders/routes.ts';
import { shareRoutes } from './shares/routes.ts';
import { trashRoutes } from './trash/routes.ts';
import { requireUser } from './http/authenticate.ts';
import { csrfGuard } from './http/csrf.ts';
import { securityHeaders, spaSecurityHeaders } from './http/security-headers.ts';
import { uploadRoutes } from './uploads/routes.ts';
import { versionRoutes } from './versions/routes.ts';
import { errorHandler, unknownRoute } from './http/errors.ts';
import { requestLogger } from './http/request-log.ts';
import { apiRoleGuard, notServedHere } from './http/roles.ts';
import { readiness } from './http/readiness.ts';
import { countRequest, metricsRoute } from './metrics.ts';
import type { Services } from './services.ts';

const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export function createApp(services: Services, logger: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind nginx or an ingress, the client is in X-Forwarded-For (the throttles count per client
  // address): believed only from the proxies TRUSTED_PROXIES names (default: loopback).
  app.set('trust proxy', services.config.trustedProxies);
  app.set('etag', false);
  app.use(securityHeaders);

  app.use(requestLogger(logger, countRequest));

  // Reads made while serving a request may go to a replica (db/replicas.ts).
  app.use((_req, _res, next) => withReplicaReads(next));

  // GET /healthz · GET /readyz → alive · ready (what this process's roles need is reachable)
  // GET /metrics → Prometheus text format (metrics.ts), served by every role
  app.get('/metrics', metricsRoute(services));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', readiness(services));

  // Built at the first request for it (tools ask, rarely): the document holds ~0.9 MiB of heap.
  let openApi: object | undefined;
  const api = express.Router();
  const { roles } = services.config;
  // Before the CSRF check and the body parser: a misrouted request is told so, whatever it holds.
  api.use(apiRoleGuard(roles, logger));
  api.use(csrfGuard);
  api.use(express.json({ limit: '64kb' }));
  api.get('/openapi.json', async (_req, res) => {
    openApi ??= (await import('@filestore/contract/openapi')).buildOpenApiDocument();
    res.json(openApi);
  });
  const authenticated = requireUser(services.accounts.sessions);
  api.use(accountRoutes(services.accounts, services.config));
  const { files, folders } = services;
  // Before the file routes, which would authenticate its requests a second time.
  api.use(
    versionRoutes({
      sequelize: services.sequelize,
      files,
      versions: services.versions,
      authenticated,
    }),
  );
  api.use(
    fileRoutes({
      files,
      folders,
      accounts: services.accounts,
      instant: services.instant,
      store: services.store,
      authenticated,
      uploadMaxBytes: services.config.uploadMaxBytes,
      downloadMode: services.config.downloadMode,
    }),
  );
  api.use(folderRoutes({ folders, authenticated }));
  api.use(trashRoutes({ trash: services.trash, purge: services.trashPurge, authenticated }));
  api.use(uploadRoutes(services.uploads, authenticated));
  api.use(
    shareRoutes({ shares: services.shares, access: services.shareAccess, files, authenticated }),
  );
  api.use(unknownRoute);
  app.use('/api', api);

  // The SPA: static assets, and index.html for its client-side routes.
  app.use(spaSecurityHeaders);
  const spaRoutes = /^\/(?!api\/|healthz|readyz).*/;
  if (!roles.includes('web')) {
    app.get(spaRoutes, notServedHere('web', logger));
  } else if (existsSync(WEB_DIST)) {
    app.use(express.static(WEB_DIST, { index: false, maxAge: '1h' }));
    app.get(spaRoutes, (_req, res) => {
      res.sendFile(path.join(WEB_DIST, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } });
    });
  }
  app.use(errorHandler);
  return app;
}
