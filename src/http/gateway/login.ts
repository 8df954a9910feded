import express, { Router, type Request, type Response } from 'express';
import type { Runtime } from '../../core/runtime.ts';
import type { User } from '../../model/index.ts';
import type { CertificateContext } from '../../authentication/certificate.ts';
import { accountDenial } from '../../authentication/certificate.ts';
import type { GatewayAuthenticator } from '../../authentication/gateway-login.ts';
import { LoggedOutPage, LoginPage } from '../pages/index.ts';
import { clientIp } from '../context.ts';
import { checkCsrf, csrfToken, type CsrfRefusal } from '../kit/csrf.ts';
import { sendPage } from '../respond.ts';
import { sendDenial } from '../kit/deny.ts';
import { safeGatewayNext } from '../kit/safe-next.ts';
import { LOGIN_PATH } from '../kit/paths.ts';
import { destroyCurrentSession, regenerateSession, saveSession } from '../kit/session.ts';
import { ssoNotice } from './sso.ts';
import { hostFamily } from './host-family.ts';
import { pscLoginUrl } from './psc.ts';
import { allowsPsc } from '../../psc/index.ts';

const LOGOUT_PATH = '/.passerelle/logout';

/** Only same-origin paths: no open redirect through `next`. */
/** A path on this application host to return to after signing in (src/http/kit/safe-next.ts). */
export const safeNext = safeGatewayNext;

type LoginError = 'invalid_credentials' | 'session_expired' | null;

function renderLogin(runtime: Runtime, req: Request, res: Response, status: number, error: LoginError, extra: { identifier?: string; remainingAttempts?: number | null } = {}): void {
  const certificate: CertificateContext = res.locals.certificate;
  const personal = certificate.owner !== null;
  sendPage(
    res,
    status,
    LoginPage({
      lang: res.locals.lang,
      application: { name: res.locals.application.name },
      mode: personal ? 'personal' : 'collective',
      identifier: personal ? certificate.owner?.identifier : extra.identifier,
      cpsCard: certificate.record.kind === 'cps',
      csrfToken: csrfToken(req.session, runtime.random),
      action: LOGIN_PATH,
      next: safeNext(req.method === 'GET' ? req.query.next : (req.body as Record<string, unknown>).next),
      error,
      remainingAttempts: extra.remainingAttempts ?? null,
      lockoutThreshold: runtime.config.lockout.maxFailures,
      establishmentName: certificate.establishment?.name ?? null,
      machineLabel: certificate.establishment ? certificate.record.label : null,
      forgotPasswordUrl: new URL('/mot-de-passe-oublie', runtime.config.publicUrl).toString(),
      // Why a portal tile's single sign-on ticket did not open the session (src/http/gateway/sso.ts).
      notice: req.method === 'GET' ? ssoNotice(res.locals.lang, req.query.sso) : null,
      // The application also opens with Pro Santé Connect (issue 12): its button under the form.
      pscLoginUrl: allowsPsc(runtime.config, res.locals.application) ? pscLoginUrl(safeNext(req.method === 'GET' ? req.query.next : (req.body as Record<string, unknown>).next)) : null,
    }),
  );
}

/** Opens the session bound to the certificate's fingerprint; a fresh id at login, so a planted pre-login cookie is worth nothing. */
async function openBoundSession(runtime: Runtime, req: Request, user: User, certificate: CertificateContext): Promise<void> {
  await regenerateSession(req);
  const now = runtime.clock.now().getTime();
  req.session.auth = { userId: user.id, identifier: user.identifier, fingerprint: certificate.record.fingerprintSha256, family: hostFamily(req.res!.locals.application), authenticatedAt: now, lastSeenAt: now };
  await saveSession(req);
}

/** A stale login or logout form: audited as gateway.csrf, back to the login form (src/http/kit/csrf.ts). */
function refusal(req: Request, res: Response): CsrfRefusal {
  const next = safeNext((req.body as Record<string, unknown> | undefined)?.next);
  return {
    action: 'gateway.csrf',
    actor: res.locals.auth?.identifier ?? res.locals.certificate.owner?.identifier ?? null,
    certificateSerial: res.locals.certificate.record.serial,
    applicationId: res.locals.application.id,
    back: req.path === LOGOUT_PATH ? LOGOUT_PATH : `${LOGIN_PATH}?${new URLSearchParams({ next })}`,
  };
}

/** The login form on every application host, and logout. */
export function loginRoutes(runtime: Runtime, authenticator: GatewayAuthenticator): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });

  router.get(LOGIN_PATH, async (req, res) => {
    if (res.locals.auth) {
      res.redirect(303, safeNext(req.query.next));
      return;
    }
    const owner = res.locals.certificate.owner;
    const denial = owner ? accountDenial(owner) : null;
    if (owner && denial) {
      sendDenial(req, res, runtime.config, denial, { identifier: owner.identifier, applicationName: res.locals.application.name });
      return;
    }
    // A CPS card on an application that allows it: no password (card + PIN are two factors).
    if (res.locals.certificate.record.kind === 'cps' && res.locals.application.passwordlessCps) {
      const result = await authenticator.loginWithCard({ certificate: res.locals.certificate, ip: clientIp(req), applicationId: res.locals.application.id });
      if (!result.ok) {
        sendDenial(req, res, runtime.config, result.reason === 'invalid_credentials' ? 'certificate_unknown' : result.reason, { identifier: owner?.identifier, applicationName: res.locals.application.name });
        return;
      }
      await openBoundSession(runtime, req, result.user, res.locals.certificate);
      res.redirect(303, safeNext(req.query.next));
      return;
    }
    renderLogin(runtime, req, res, 200, req.query.expired === '1' ? 'session_expired' : null);
  });

  router.post(LOGIN_PATH, form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const identifier = typeof body.identifier === 'string' ? body.identifier.trim().slice(0, 200) : '';
    if (!(await checkCsrf(runtime.auditor, req, res, refusal))) return;
    const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : '';
    const { certificate, application } = res.locals;
    const result = await authenticator.login({ certificate, identifier: identifier || null, password, ip: clientIp(req), applicationId: application.id });
    if (!result.ok) {
      if (result.reason === 'invalid_credentials') {
        renderLogin(runtime, req, res, 401, 'invalid_credentials', { identifier, remainingAttempts: result.remainingAttempts });
      } else {
        sendDenial(req, res, runtime.config, result.reason, { identifier: result.user.identifier, applicationName: application.name });
      }
      return;
    }
    await openBoundSession(runtime, req, result.user, certificate);
    res.redirect(303, safeNext(body.next));
  });

  router.get(LOGOUT_PATH, (req, res) => {
    // A GET only offers the button: logging out changes state, so it takes a POST with a token.
    sendPage(res, 200, LoggedOutPage({ lang: res.locals.lang, applicationName: res.locals.application.name, loginUrl: LOGIN_PATH, confirm: res.locals.auth ? { action: LOGOUT_PATH, csrfToken: csrfToken(req.session, runtime.random) } : null }));
  });

  router.post(LOGOUT_PATH, form, async (req, res) => {
    // Signed out already: nothing to do. Signed in with a stale form: the kit's one answer, still signed in.
    if (res.locals.auth) {
      if (!(await checkCsrf(runtime.auditor, req, res, refusal))) return;
      await runtime.auditor.record({
        action: 'gateway.logout',
        outcome: 'success',
        actor: res.locals.auth.identifier,
        subject: res.locals.auth.identifier,
        ip: clientIp(req),
        certificateSerial: res.locals.certificate.record.serial,
        applicationId: res.locals.application.id,
      });
      await destroyCurrentSession(req);
      res.clearCookie(runtime.config.session.cookieName, { path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
    }
    sendPage(res, 200, LoggedOutPage({ lang: res.locals.lang, applicationName: res.locals.application.name, loginUrl: LOGIN_PATH, confirm: null }));
  });

  return router;
}
