// Same-site CSRF (issue 10, item 6): a SameSite=Lax cookie still goes along with a form that
// another app on this host (another port) or a sibling subdomain posts to us. So every
// state-changing request that a browser could send with our cookie must show that it comes from
// our own pages, or it is refused with 403 `csrf`. Bearer tokens are never attached by a browser on
// its own: those requests are not checked.
import type { Request, RequestHandler } from 'express';
import { parse as parseCookies } from 'cookie';
import { SESSION_COOKIE } from './authenticate.ts';
import { HttpError } from './errors.ts';
import { originOf } from './origin.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** true: sent by our own pages; false: by another site's; undefined: the browser did not say. */
function sentByOurPages(req: Request): boolean | undefined {
  // Set by the browser itself from the page's origin and the URL it used, so it holds behind any
  // proxy; browsers without it send Origin on every POST, PUT, PATCH and DELETE.
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  const origin = req.get('origin');
  if (origin !== undefined) return origin === originOf(req);
  return undefined;
}

const carriesSessionCookie = (req: Request) =>
  parseCookies(req.get('cookie') ?? '')[SESSION_COOKIE] !== undefined;

export const csrfGuard: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method) || req.get('authorization') !== undefined) return next();
  const ours = sentByOurPages(req);
  // No header at all is a client that is not a browser (curl, a script): fine, unless it leans on
  // the cookie. Login and register set the cookie, so they are checked too (login CSRF).
  if (ours === true || (ours === undefined && !carriesSessionCookie(req))) return next();
  throw new HttpError('csrf', "This request did not come from this app's own pages");
};
