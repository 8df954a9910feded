import { Router, type RequestHandler } from 'express';
import type { HttpDeps } from '../../deps.ts';
import { accountDenial } from '../../../authentication/certificate.ts';
import { clientIp } from '../../context.ts';
import { sendDenial } from '../../kit/deny.ts';
import { consoleTotp, requireSecondFactor, secondFactorRoutes } from './second-factor.ts';
import { adminScopeOf, type AdminScope } from '../../../services/index.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Where the signed-in console user may act: the region (cell) or their establishments. */
      adminScope?: AdminScope;
    }
  }
}

/**
 * The console opens for an active coordinator — or an establishment administrator, fenced to
 * their establishment (src/services/scope.ts) — signed in with their own PERSONAL certificate
 * (never a shared workstation's). Checked on every request, like application grants.
 */
export function requireCoordinatorAccount(deps: HttpDeps): RequestHandler {
  const { runtime } = deps;
  return async (req, res, next) => {
    const { certificate, auth } = res.locals;
    if (!auth) throw new Error('requireConsoleAccess runs after requireSignedIn');
    const user = await runtime.storage.users.findById(auth.userId);
    const scope = user ? await adminScopeOf(runtime, user) : null;
    const denial = !user ? 'certificate_unknown' : accountDenial(user) ?? (!scope || certificate.owner?.id !== user.id ? 'not_coordinator' : null);
    if (!denial && user && scope) {
      res.locals.user = user;
      res.locals.adminScope = scope;
      next();
      return;
    }
    await runtime.auditor.record({
      action: 'console.access',
      outcome: 'failure',
      reason: denial,
      actor: user?.identifier ?? null,
      ip: clientIp(req),
      certificateSerial: certificate.record.serial,
    });
    sendDenial(req, res, runtime.config, denial ?? 'not_coordinator', { identifier: user?.identifier });
  };
}

/**
 * Before any login form on the console host: only the personal certificate of a coordinator
 * or of an establishment administrator gets one. Anyone else is told at once, without being
 * asked for a password.
 */
export function requireCoordinatorCertificate(deps: HttpDeps): RequestHandler {
  const { runtime } = deps;
  return async (req, res, next) => {
    const { certificate } = res.locals;
    if (certificate.owner && (await adminScopeOf(runtime, certificate.owner))) {
      next();
      return;
    }
    await runtime.auditor.record({
      action: 'console.access',
      outcome: 'failure',
      reason: 'not_coordinator',
      actor: certificate.owner?.identifier ?? null,
      ip: clientIp(req),
      certificateSerial: certificate.record.serial,
    });
    sendDenial(req, res, runtime.config, 'not_coordinator', { identifier: certificate.owner?.identifier });
  };
}

/**
 * Who may use the console: an active coordinator with their own personal certificate, then —
 * when they have one or the cell requires it — the TOTP second factor, asked before anything
 * else (its challenge and enrolment pages are the only ones reachable until it is passed).
 */
export function requireConsoleAccess(deps: HttpDeps): Router {
  const totp = consoleTotp(deps);
  const router = Router();
  router.use(requireCoordinatorAccount(deps));
  router.use(secondFactorRoutes(deps, totp));
  router.use(requireSecondFactor(deps, totp));
  return router;
}
