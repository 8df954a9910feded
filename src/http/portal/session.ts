import session from 'express-session';
import type { Request, RequestHandler, Response } from 'express';
import type { HttpDeps } from '../deps.ts';
import { clientIp } from '../context.ts';
import { destroyCurrentSession, regenerateSession } from '../kit/session.ts';
import type {} from './locals.ts';
import { evaluatePortalSession, shouldTouch, type PortalSessionAuth, type PortalSessionLimits } from '../../portal/session.ts';

declare module 'express-session' {
  interface SessionData {
    portal?: PortalSessionAuth;
  }
}

/** Its own cookie: `__Host-` pins it to this host, Secure, Path=/ and no Domain. */
export const PORTAL_COOKIE = '__Host-passerelle-portal';

export function portalLimits(deps: HttpDeps): PortalSessionLimits {
  const { config } = deps.runtime;
  return { idleTimeoutMs: config.session.idleTimeoutMinutes * 60_000, absoluteTimeoutMs: config.session.absoluteTimeoutHours * 3_600_000 };
}

/** express-session on the shared store (memory or Redis), not bound to a certificate. */
export function portalSession(deps: HttpDeps): RequestHandler {
  return session({
    store: deps.sessions.store,
    secret: deps.sessionSecret,
    name: PORTAL_COOKIE,
    resave: false,
    saveUninitialized: false,
    unset: 'destroy',
    cookie: { secure: true, httpOnly: true, sameSite: 'lax', path: '/', maxAge: portalLimits(deps).absoluteTimeoutMs },
  });
}

export async function endSession(req: Request, res: Response): Promise<void> {
  await destroyCurrentSession(req);
  res.clearCookie(PORTAL_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
}

/**
 * Who is signed in: idle and absolute limits on the injected clock, and the account re-read
 * so a lock or a deactivation ends the session at the next request.
 */
export function loadPortalUser(deps: HttpDeps): RequestHandler {
  const { runtime } = deps;
  const limits = portalLimits(deps);
  return async (req, res, next) => {
    const auth = req.session.portal;
    const now = runtime.clock.now().getTime();
    const verdict = evaluatePortalSession(auth, now, limits);
    if (verdict === 'none' || !auth) {
      next();
      return;
    }
    let reason: string = verdict;
    if (verdict === 'valid') {
      const user = await runtime.storage.users.findById(auth.userId);
      if (user && (user.status === 'active' || user.status === 'provisional')) {
        if (shouldTouch(auth, now)) auth.lastSeenAt = now;
        res.locals.portalUser = user;
        next();
        return;
      }
      reason = user ? `account_${user.status}` : 'account_missing';
    }
    await runtime.auditor.record({ action: 'portal.session', outcome: 'failure', reason, actor: auth.identifier, subject: auth.identifier, ip: clientIp(req) });
    await regenerateSession(req);
    res.locals.portalSessionExpired = verdict !== 'valid';
    next();
  };
}

/** Pages for signed-in people; a provisional account is held at the first-login page. */
export function requireUser(options: { provisional: 'allow' | 'only' | 'redirect' } = { provisional: 'redirect' }): RequestHandler {
  return (req, res, next) => {
    const user = res.locals.portalUser;
    if (!user) {
      const query = new URLSearchParams();
      if (req.method === 'GET') query.set('next', req.originalUrl);
      if (res.locals.portalSessionExpired) query.set('expired', '1');
      const qs = query.toString();
      res.redirect(303, `/connexion${qs ? `?${qs}` : ''}`);
      return;
    }
    const provisional = user.status === 'provisional';
    if (provisional && options.provisional === 'redirect') {
      res.redirect(303, '/premiere-connexion');
      return;
    }
    if (!provisional && options.provisional === 'only') {
      res.redirect(303, '/');
      return;
    }
    next();
  };
}
