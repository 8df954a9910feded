import type { RequestHandler } from 'express';
import type { HttpDeps } from '../../deps.ts';
import { accountDenial } from '../../../authentication/certificate.ts';
import { clientIp } from '../../context.ts';
import { sendDenial } from '../../gateway/deny.ts';

/**
 * The console opens for an active coordinator signed in with their own PERSONAL certificate
 * (never a shared workstation's). Checked on every request, like application grants.
 */
export function requireConsoleAccess(deps: HttpDeps): RequestHandler {
  const { runtime } = deps;
  return async (req, res, next) => {
    const { certificate, auth } = res.locals;
    if (!auth) throw new Error('requireConsoleAccess runs after requireSignedIn');
    const user = await runtime.storage.users.findById(auth.userId);
    const denial = !user ? 'certificate_unknown' : accountDenial(user) ?? (user.role !== 'coordinator' || certificate.owner?.id !== user.id ? 'not_coordinator' : null);
    if (!denial && user) {
      res.locals.user = user;
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
