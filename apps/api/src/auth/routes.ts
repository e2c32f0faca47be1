import { Router } from 'express';
import { Credentials, LoginBody } from '@filestore/contract';
import type { Config } from '../config.ts';
import { HttpError } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import {
  clearSessionCookie,
  currentUser,
  requireUser,
  setSessionCookie,
} from '../http/authenticate.ts';
import { toUserDto, type AccountService } from './service.ts';
import type { ThrottleRule } from './throttle.ts';

export type RegistrationSettings = Pick<Config, 'registration' | 'registrationsPerHour'>;

export function accountRoutes(accounts: AccountService, settings: RegistrationSettings): Router {
  const router = Router();
  const authenticated = requireUser(accounts.sessions);
  const signUpsPerAddress: ThrottleRule = {
    limit: settings.registrationsPerHour,
    windowMs: 60 * 60 * 1000,
  };

  // POST /api/auth/register {username, password} → 201 {user}; 409 username_taken; 400 on a bad
  // name or weak password; 403 registration_closed (REGISTRATION=closed); 429 beyond
  // REGISTRATIONS_PER_HOUR from one address
  router.post('/auth/register', async (req, res) => {
    if (settings.registration === 'closed')
      throw new HttpError('registration_closed', 'Sign-up is closed; ask the administrator');
    const { username, password } = parse(Credentials, req.body);
    await accounts.throttle.take(`register:ip:${req.ip ?? 'unknown'}`, signUpsPerAddress);
    const user = await accounts.register(username, password);
    res.status(201).json({ user: toUserDto(user) });
  });

  // POST /api/auth/login → 200 {token, user} and sets the cookie; 401 invalid_credentials; throttled (429)
  router.post('/auth/login', async (req, res) => {
    const { username, password } = parse(LoginBody, req.body);
    const { token, user } = await accounts.login(username, password, req.ip ?? 'unknown');
    setSessionCookie(req, res, token);
    res.json({ token, user: toUserDto(user) });
  });

  // POST /api/auth/logout → 204; the token stops working
  router.post('/auth/logout', authenticated, async (req, res) => {
    await accounts.sessions.revoke(req.sessionToken!);
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  // GET /api/me → {user: {id, username, usedBytes, quotaBytes, role}}
  router.get('/me', authenticated, async (req, res) => {
    res.json({ user: toUserDto(currentUser(req)) });
  });

  return router;
}
