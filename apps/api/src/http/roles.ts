// Which role serves which route (issue 12, "Roles that are really separate"): a process started
// with SERVICES=upload answers the routes of another role 404 not_served_here and logs that role,
// so a gateway that sends a request to the wrong upstream is visible at once.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Role } from '../config.ts';
import { HttpError } from './errors.ts';

type HttpRole = Exclude<Role, 'transfer'>;

/** First match wins: method (or * for any) and a path under /api. */
const API_ROUTES: [method: string, path: RegExp, role: HttpRole][] = [
  ['*', /^\/(auth\/|me$)/, 'account'],
  // The simple form upload; the chunk API.
  ['POST', /^\/files$/, 'upload'],
  ['*', /^\/uploads(\/|$)/, 'upload'],
  // File content (downloads and the viewer) and versions' content, archives, public shares and
  // their content.
  ['*', /^\/files\/[^/]+\/(versions\/[^/]+\/)?content$/, 'download'],
  ['*', /^\/files\/archive$/, 'download'],
  ['*', /^\/public\/shares(\/|$)/, 'download'],
  // Listing, folders, rename/move/delete, the trash, shares management, instant upload.
  ['*', /^\/(files|folders|shares|trash)(\/|$)/, 'files'],
];

/** The role that serves an /api route; undefined for a path no role serves (a plain 404). */
export function apiRoleOf(method: string, path: string): HttpRole | undefined {
  const route = API_ROUTES.find(
    ([wanted, pattern]) => (wanted === '*' || wanted === method) && pattern.test(path),
  );
  return route?.[2];
}

/** Answers every request it sees 404 not_served_here, naming `role` in the log and the body. */
export function notServedHere(role: Role, logger: Logger): RequestHandler {
  return (req, _res, next) => {
    logger.warn(
      { role, method: req.method, path: req.originalUrl.split('?')[0] },
      `not served here: a route of the ${role} role (check the gateway's routes)`,
    );
    const message = `This process does not serve the ${role} role (${req.method} ${req.path})`;
    next(new HttpError('not_served_here', message));
  };
}

/** Passes the /api routes of the roles this process has; the others answer not_served_here. */
export function apiRoleGuard(roles: readonly Role[], logger: Logger): RequestHandler {
  return (req, res, next) => {
    const role = apiRoleOf(req.method, req.path);
    if (role === undefined || roles.includes(role)) next();
    else notServedHere(role, logger)(req, res, next);
  };
}
