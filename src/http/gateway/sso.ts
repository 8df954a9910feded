import { Router } from 'express';
import type { HttpDeps } from '../deps.ts';
import { clientIp } from '../context.ts';
import { t, type Lang, type MessageKey } from '../i18n/index.ts';
import { redeemTicket, type RedeemRefusal } from '../../sso/index.ts';
import { sendDenial } from '../kit/deny.ts';
import { safeGatewayNext as safeNext } from '../kit/safe-next.ts';
import { LOGIN_PATH, SSO_PATH } from '../kit/paths.ts';
import { regenerateSession, saveSession } from '../kit/session.ts';
import { hostFamily } from './host-family.ts';

export { SSO_PATH };

/** What the login form tells someone whose ticket did not open a session (`?sso=…`). */
export const SSO_NOTICES = ['expired', 'used', 'invalid', 'shared', 'not_personal', 'other_person'] as const;
export type SsoNotice = (typeof SSO_NOTICES)[number];

const NOTICE_OF: Record<RedeemRefusal, SsoNotice> = {
  ticket_missing: 'invalid',
  ticket_unknown: 'invalid',
  wrong_application: 'invalid',
  ticket_used: 'used',
  ticket_expired: 'expired',
  collective_certificate: 'shared',
  not_personal_certificate: 'not_personal',
  other_person: 'other_person',
};

/** The login form's message for `?sso=…`, or null (for the login page of the gateway). */
export function ssoNotice(lang: Lang, value: unknown): string | null {
  const notice = SSO_NOTICES.find((n) => n === value);
  return notice ? t(lang, `sso.notice.${notice}` satisfies MessageKey) : null;
}

/** Same-origin path, and never back to this endpoint (its ticket is spent). */
function ssoNext(value: unknown): string {
  const next = safeNext(value);
  return next.startsWith(SSO_PATH) ? '/' : next;
}

/**
 * `GET /.passerelle/sso?ticket=…&next=/…` on every application host: a portal tile's ticket
 * opens the session without the password when, and only when, the certificate presented is a
 * personal certificate of the ticket's person. Otherwise the login form, with the reason.
 * Runs after the certificate check and the session binding, before the login routes.
 */
export function ssoRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();

  router.get(SSO_PATH, async (req, res) => {
    // The URL carries a secret until it is spent: never cached, never sent on as a referrer.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const next = ssoNext(req.query.next);
    const { certificate, application } = res.locals;
    const outcome = await redeemTicket(runtime, { ticket: req.query.ticket, certificate, applicationId: application.id, ip: clientIp(req) });

    if (outcome.ok) {
      // Exactly like the password login: a fresh session id, bound to this certificate.
      await regenerateSession(req);
      const now = runtime.clock.now().getTime();
      req.session.auth = { userId: outcome.user.id, identifier: outcome.user.identifier, fingerprint: certificate.record.fingerprintSha256, family: hostFamily(application), authenticatedAt: outcome.authenticatedAt, lastSeenAt: now };
      await saveSession(req);
      res.redirect(303, next);
      return;
    }
    if (outcome.reason === 'account_denied') {
      sendDenial(req, res, runtime.config, outcome.denial, { identifier: outcome.user.identifier, applicationName: application.name });
      return;
    }
    // Someone else's session on a shared workstation ends: the ticket says another person sits there now.
    if (outcome.reason === 'collective_certificate' && res.locals.auth && res.locals.auth.userId !== outcome.ticketUserId) await regenerateSession(req);
    res.redirect(303, `${LOGIN_PATH}?${new URLSearchParams({ next, sso: NOTICE_OF[outcome.reason] }).toString()}`);
  });

  return router;
}
