import { Router, type Request, type Response } from 'express';
import type { HttpDeps } from '../deps.ts';
import { sendPage } from '../respond.ts';
import { clientIp } from '../context.ts';
import { EmailConfirmPage, ForgotPasswordPage, PortalLoginPage, RegistrationDonePage, RegistrationPage, TermsPage, type PortalLoginError } from '../pages/portal/index.ts';
import { submitRegistration } from '../../portal/registration.ts';
import { openPrefill, prefillKey } from '../../cps/prefill.ts';
import { CARD_READ_FAILURES, registrationHostUrl } from '../../cps/registration.ts';
import { PortalLogin } from '../../portal/login.ts';
import { LegacyPortalWelcomePage } from '../pages/legacy/portal.tsx';
import { forgotPassword } from '../../portal/forgot-password.ts';
import { passwordResetRoutes } from './password-reset-routes.ts';
import { confirmEmailChange, inspectEmailChange } from '../../portal/account.ts';
import type { FieldError } from '../../portal/fields.ts';
import type { PortalRateLimits } from '../../portal/rate-limits.ts';
import { fields, pageProps, requestContext, requireCsrf, safeNext, sendRateLimited } from './forms.ts';
import { regenerateSession, saveSession } from '../kit/session.ts';

const LOGIN_STATUS: Record<PortalLoginError, number> = {
  invalid_credentials: 401,
  account_locked: 403,
  account_deactivated: 403,
  provisional_expired: 403,
  session_expired: 200,
  rate_limited: 429,
  legacy_cut_over: 403,
  legacy_locked: 403,
  legacy_unavailable: 503,
};

/** Pages anyone may open: registration, sign-in, forgot password, terms, e-mail confirmation. */
export function publicPortalRoutes(deps: HttpDeps, limits: PortalRateLimits): Router {
  const { runtime } = deps;
  const { config } = runtime;
  const router = Router();
  const csrf = requireCsrf(deps);
  const login = new PortalLogin(runtime);

  // Registration (journey 1)
  const cpsReadUrl = config.cps.enabled ? registrationHostUrl(config.cps.registrationHost, config.listeners.gateway.port) : null;
  async function renderRegistration(req: Request, res: Response, status: number, values: Record<string, string> = {}, errors: FieldError[] = [], cpsOutcome: 'prefilled' | (typeof CARD_READ_FAILURES)[number] | null = null) {
    const establishments = (await runtime.storage.establishments.list()).map((e) => ({ id: e.id, name: e.name }));
    const applications = config.applications.map((a) => ({ id: a.id, name: a.name }));
    const { csrf: _csrf, ...kept } = values;
    const cps = cpsReadUrl ? { readUrl: cpsReadUrl, outcome: cpsOutcome } : null;
    sendPage(res, status, RegistrationPage({ ...pageProps(deps, req, res), establishments, applications, values: kept, errors, cps }));
  }
  // `?cps=` carries what a CPS card read on cps.registrationHost fills in (src/cps/registration.ts).
  const cpsKey = prefillKey(deps.sessionSecret);
  router.get('/inscription', async (req, res) => {
    const prefill = await openPrefill(req.query.cps, cpsKey, runtime.clock);
    const failure = CARD_READ_FAILURES.find((f) => f === req.query.carte) ?? null;
    await renderRegistration(req, res, 200, prefill ? { givenName: prefill.givenName, familyName: prefill.familyName, rpps: prefill.rpps, ...(prefill.profession ? { profession: prefill.profession } : {}) } : {}, [], prefill ? 'prefilled' : failure);
  });
  router.post('/inscription', csrf, async (req, res) => {
    const verdict = await limits.registration(clientIp(req));
    if (!verdict.allowed) return sendRateLimited(deps, req, res, verdict.retryAfterSeconds, '/inscription');
    const form = fields(req);
    const outcome = await submitRegistration(runtime, form, requestContext(req, res));
    if (!outcome.ok) return renderRegistration(req, res, 400, form, outcome.errors);
    res.redirect(303, '/inscription/envoyee');
  });
  router.get('/inscription/envoyee', (req, res) => sendPage(res, 200, RegistrationDonePage(pageProps(deps, req, res))));

  router.get('/conditions', (req, res) => sendPage(res, 200, TermsPage({ ...pageProps(deps, req, res), supportContact: config.support.contact, maxFailures: config.lockout.maxFailures, idleMinutes: config.session.idleTimeoutMinutes })));

  // Sign-in
  function renderLogin(req: Request, res: Response, error: PortalLoginError | null, extra: { identifier?: string; next?: string; loggedOut?: boolean; legacy?: { applicationName: string; identifier: string | null } } = {}) {
    const next = extra.next ?? safeNext(req.query.next);
    sendPage(
      res,
      error ? LOGIN_STATUS[error] : 200,
      PortalLoginPage({ ...pageProps(deps, req, res), ...extra, next: next === '/' ? '' : next, error, supportContact: config.support.contact, lockoutThreshold: config.lockout.maxFailures }),
    );
  }
  router.get('/connexion', (req, res) => {
    if (res.locals.portalUser) return res.redirect(303, safeNext(req.query.next));
    renderLogin(req, res, req.query.expired === '1' || res.locals.portalSessionExpired ? 'session_expired' : null, { loggedOut: req.query.deconnecte === '1' });
  });
  router.post('/connexion', csrf, async (req, res) => {
    const form = fields(req);
    const ip = clientIp(req);
    const identifier = (form.identifier ?? '').trim().slice(0, 200);
    const next = safeNext(form.next);
    // Consumed before the work, given back unless it was a wrong identifier or password.
    const allowed = await limits.loginAttempt(ip);
    if (!allowed.allowed) return renderLogin(req, res, 'rate_limited', { identifier, next });
    const result = await login.login(identifier, (form.password ?? '').slice(0, 1024), ip);
    if (result.ok || result.reason !== 'invalid_credentials') await limits.loginNotFailed(ip);
    if (!result.ok) {
      const legacy = result.legacy ? { applicationName: result.legacy.applicationName, identifier: result.reason === 'legacy_cut_over' ? (result.user?.identifier ?? null) : null } : undefined;
      return renderLogin(req, res, result.reason, { identifier, next, ...(legacy ? { legacy } : {}) });
    }
    // A fresh session id at login: a planted pre-login cookie is worth nothing.
    await regenerateSession(req);
    const now = runtime.clock.now().getTime();
    req.session.portal = { userId: result.user.id, identifier: result.user.identifier, authenticatedAt: now, lastSeenAt: now };
    if (result.legacy) {
      // Signed in with a legacy identifier (migration period): tell them their identifier before going on.
      res.locals.portalUser = result.user;
      const props = pageProps(deps, req, res);
      await saveSession(req);
      return sendPage(res, 200, LegacyPortalWelcomePage({ ...props, ...result.legacy, identifier: result.user.identifier, next: result.user.status === 'provisional' ? '/premiere-connexion' : next }));
    }
    await saveSession(req);
    res.redirect(303, result.user.status === 'provisional' ? '/premiere-connexion' : next);
  });

  // Forgot password (journey 11): one answer whatever the match
  function renderForgot(req: Request, res: Response, status: number, extra: { sent?: boolean; values?: Record<string, string>; errors?: FieldError[] } = {}) {
    sendPage(res, status, ForgotPasswordPage({ ...pageProps(deps, req, res), ...extra, supportContact: config.support.contact }));
  }
  router.get('/mot-de-passe-oublie', (req, res) => renderForgot(req, res, 200, { sent: req.query.envoye === '1' }));
  router.post('/mot-de-passe-oublie', csrf, async (req, res) => {
    const form = fields(req);
    const identifier = (form.identifier ?? '').trim();
    if (identifier) {
      const verdict = await limits.forgotPassword(clientIp(req), identifier);
      if (!verdict.allowed) return sendRateLimited(deps, req, res, verdict.retryAfterSeconds, '/mot-de-passe-oublie');
    }
    const outcome = await forgotPassword(runtime, form, requestContext(req, res));
    if (!outcome.ok) return renderForgot(req, res, 400, { values: { identifier: form.identifier ?? '', email: form.email ?? '' }, errors: outcome.errors });
    res.redirect(303, '/mot-de-passe-oublie?envoye=1');
  });
  // The link it mails: choose a new password (the current one works until then).
  router.use(passwordResetRoutes(deps));

  // E-mail change confirmation: the link shows a button; the POST spends it
  const confirmStatus = { invalid: 400, expired: 410, used: 410 } as const;
  router.get('/compte/email/confirmer', async (req, res) => {
    const state = await inspectEmailChange(runtime, req.query.id, req.query.token);
    const props = pageProps(deps, req, res);
    if (!state.ok) return sendPage(res, confirmStatus[state.reason], EmailConfirmPage({ ...props, confirm: { state: state.reason } }));
    sendPage(res, 200, EmailConfirmPage({ ...props, confirm: { state: 'ready', newEmail: state.change.newEmail, id: state.change.id, token: state.token, csrfToken: props.csrfToken } }));
  });
  router.post('/compte/email/confirmer', csrf, async (req, res) => {
    const form = fields(req);
    const state = await confirmEmailChange(runtime, form.id, form.token, requestContext(req, res));
    const props = pageProps(deps, req, res);
    if (!state.ok) return sendPage(res, confirmStatus[state.reason], EmailConfirmPage({ ...props, confirm: { state: state.reason } }));
    sendPage(res, 200, EmailConfirmPage({ ...props, confirm: { state: 'done', newEmail: state.change.newEmail } }));
  });

  return router;
}
