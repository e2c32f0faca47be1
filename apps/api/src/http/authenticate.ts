// Who is calling: `Authorization: Bearer <token>` or the httpOnly session cookie set at login.
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { UserRow } from '../auth/models.ts';
import type { Sessions } from '../auth/sessions.ts';
import { SESSION_TTL_MS } from '../auth/sessions.ts';
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'fs_session';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by requireUser. */
    user?: UserRow;
    sessionToken?: string;
  }
}

export function tokenOf(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header) {
    const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header);
    return match?.[1];
  }
  return parseCookies(req.get('cookie') ?? '')[SESSION_COOKIE];
}

const cookieOptions = (req: Request): CookieOptions => ({
  httpOnly: true,
  sameSite: 'lax',
  secure: req.secure,
  path: '/',
});

export function setSessionCookie(req: Request, res: Response, token: string): void {
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(req), maxAge: SESSION_TTL_MS });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
}

export function requireUser(sessions: Sessions): RequestHandler {
  return async (req, res, next) => {
    const token = tokenOf(req);
    const resolved = token ? await sessions.resolve(token) : undefined;
    if (!token || !resolved) throw new HttpError('unauthorized', 'Log in first');
    req.user = resolved.user;
    req.sessionToken = token;
    // The cookie slides with the session, so a browser in daily use is never logged out.
    if (resolved.refreshed && !req.get('authorization')) setSessionCookie(req, res, token);
    next();
  };
}

/** The caller set by requireUser; only called on routes behind it. */
export function currentUser(req: Request): UserRow {
  if (!req.user) throw new HttpError('unauthorized', 'Log in first');
  return req.user;
}
