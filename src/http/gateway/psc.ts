import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { destroyCurrentSession, regenerateSession, saveSession } from '../kit/session.ts';
import type { TLSSocket } from 'node:tls';
import type { HttpDeps } from '../deps.ts';
import type { SessionLimits } from '../../authentication/session-policy.ts';
import type { LoginPolicy } from '../../regulation/login-policy.ts';
import { verifyPassword } from '../../authentication/password.ts';
import { decideAccountAccess } from '../../authorization/access.ts';
import { allowsCertificate, allowsPsc, decidePscSignIn, evaluatePscSession, PscClient, PscError, type PscFlow, type PscSessionAuth } from '../../psc/index.ts';
import { prefillKey, sealPrefill } from '../../cps/prefill.ts';
import { clientIp, requestHost } from '../context.ts';
import { checkCsrf, csrfToken, type CsrfRefusal } from '../kit/csrf.ts';
import { sendDenial } from '../kit/deny.ts';
import { safeGatewayNext } from '../kit/safe-next.ts';
import { sendJson, sendPage, wantsHtml } from '../respond.ts';
import { LoggedOutPage } from '../pages/index.ts';
import { PscFailedPage, PscPasswordPage, PscSignInPage, PscUnknownPage, type PscFailedKind } from '../pages/psc.tsx';
import { setPscIdentityHeaders } from './psc-identity.ts';

declare module 'express-session' {
  interface SessionData {
    /** A Pro Santé Connect sign-in under way (state, nonce, PKCE verifier). */
    pscFlow?: PscFlow;
    /** A session opened by Pro Santé Connect (no certificate). */
    psc?: PscSessionAuth;
  }
}

export const PSC_PATHS = {
  login: '/.passerelle/psc/login',
  callback: '/.passerelle/psc/callback',
  logout: '/.passerelle/psc/logout',
  loggedOut: '/.passerelle/psc/logged-out',
  password: '/.passerelle/psc/password',
  backChannel: '/.passerelle/psc/backchannel-logout',
  frontChannel: '/.passerelle/psc/frontchannel-logout',
} as const;
const GATEWAY_LOGOUT = '/.passerelle/logout';
const METHOD = 'pro-sante-connect';

export interface PscGatewayOptions {
  /** The gateway's express-session middleware (a second run on the same request is a no-op). */
  session: RequestHandler;
  limits: SessionLimits;
  policy: LoginPolicy;
  /** Sends the request on to the application (identity headers already set). */
  forward: RequestHandler;
}

/** `/.passerelle/psc/login?next=/x`: the button's target. */
export function pscLoginUrl(next: string): string {
  return `${PSC_PATHS.login}?${new URLSearchParams({ next })}`;
}

/**
 * The callback, logout and logged-out URLs of this host, as the provider must have them registered:
 * the host the request named and the gateway's port (as for the CPS registration host).
 */
function hostUrl(req: Request, port: number, path: string): string {
  return `https://${requestHost(req)}${port === 443 ? '' : `:${port}`}${path}`;
}

/** Did this TLS connection present a client certificate at all (trusted or not)? */
function presentsCertificate(req: Request): boolean {
  const peer = (req.socket as TLSSocket).getPeerX509Certificate?.();
  return Boolean(peer?.raw.length);
}

/**
 * Pro Santé Connect on application hosts whose policy allows it (issue 12), in front of the
 * certificate pipeline: the sign-in routes, the provider's logouts, and the gate for sessions
 * it opened — checked on every request like certificate sessions (session limits, provider
 * logout, account still active, grant). Anything else (a certificate on the connection, no PSC
 * session) goes on to the certificate pipeline unchanged.
 */
export function pscGateway(deps: HttpDeps, options: PscGatewayOptions): RequestHandler {
  const { runtime } = deps;
  const { config, storage, auditor, clock } = runtime;
  if (!config.psc.enabled) return (_req, _res, next) => next();
  const client = new PscClient(config.psc);
  const key = prefillKey(Array.isArray(deps.sessionSecret) ? deps.sessionSecret[0]! : deps.sessionSecret);
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 });
  const port = config.listeners.gateway.port;
  const router = Router();

  const audit = (req: Request, res: Response, event: { action: string; outcome: 'success' | 'failure'; reason?: string | null; actor?: string | null; details?: Record<string, unknown> }) =>
    auditor.record({ ...event, subject: event.actor ?? null, ip: clientIp(req), applicationId: res.locals.application.id, details: { method: METHOD, ...event.details } });

  const failed = (req: Request, res: Response, status: number, reason: string, kind: PscFailedKind = 'invalid') => {
    if (!wantsHtml(req)) return sendJson(res, status, { error: reason });
    sendPage(res, status, PscFailedPage({ lang: res.locals.lang, reason, kind, retryUrl: PSC_PATHS.login }));
  };

  router.use((_req, res, next) => (allowsPsc(config, res.locals.application) ? next() : next('router')));
  router.use(options.session);

  // The PSC session of this request, if still good: limits, then the provider's logout (psc_sessions row).
  router.use(async (req, res, next) => {
    const auth = req.session.psc;
    if (!auth) return next();
    const now = clock.now().getTime();
    const verdict = evaluatePscSession(auth, res.locals.application.id, now, options.limits);
    const row = verdict === 'valid' ? await storage.pscSessions.findById(auth.id) : undefined;
    if (verdict === 'valid' && row && row.endedAt === null) {
      if (now - auth.lastSeenAt >= 60_000) auth.lastSeenAt = now;
      res.locals.psc = auth;
      return next();
    }
    const reason = verdict === 'valid' ? 'provider_logout' : verdict;
    await audit(req, res, { action: 'gateway.session', outcome: 'failure', reason, actor: auth.identifier, details: { userId: auth.userId } });
    await regenerateSession(req);
    res.locals.sessionExpired = reason === 'idle_timeout' || reason === 'absolute_timeout';
    next();
  });

  router.get(PSC_PATHS.login, async (req, res) => {
    const next = safeGatewayNext(req.query.next);
    try {
      const { url, flow } = await client.begin(hostUrl(req, port, PSC_PATHS.callback), next, clock.now().getTime());
      req.session.pscFlow = flow;
      await saveSession(req);
      res.redirect(303, url);
    } catch (error) {
      await audit(req, res, { action: 'gateway.login', outcome: 'failure', reason: 'psc_unavailable' });
      failed(req, res, 503, 'psc_unavailable', 'unavailable');
      void error;
    }
  });

  router.get(PSC_PATHS.callback, async (req, res) => {
    const flow = req.session.pscFlow;
    // One use: whatever happens next, this state, nonce and verifier are spent.
    delete req.session.pscFlow;
    const now = clock.now().getTime();
    if (!flow || now - flow.startedAt > config.psc.flowTtlSeconds * 1000) {
      await saveSession(req);
      await audit(req, res, { action: 'gateway.login', outcome: 'failure', reason: flow ? 'psc_flow_expired' : 'psc_flow_missing' });
      return failed(req, res, 400, flow ? 'psc_flow_expired' : 'psc_flow_missing');
    }
    let signIn;
    try {
      signIn = await client.complete(new URL(req.originalUrl, hostUrl(req, port, '/')), flow);
    } catch (error) {
      await saveSession(req);
      const reason = error instanceof PscError ? error.reason : 'psc_token_invalid';
      await audit(req, res, { action: 'gateway.login', outcome: 'failure', reason });
      return failed(req, res, reason === 'psc_unavailable' ? 503 : 400, reason, reason === 'psc_unavailable' ? 'unavailable' : reason === 'psc_acr_insufficient' ? 'acr' : 'invalid');
    }
    const details = { nationalId: signIn.professional.nationalId.value, acr: signIn.acr };
    const decision = await decidePscSignIn(storage, signIn, res.locals.application.id);
    if (decision.kind === 'unknown' || decision.kind === 'ambiguous') {
      await saveSession(req);
      const reason = decision.kind === 'unknown' ? 'psc_unknown_professional' : 'psc_ambiguous_professional';
      await audit(req, res, { action: 'gateway.login', outcome: 'failure', reason, details });
      let registrationUrl: string | null = null;
      if (decision.kind === 'unknown') {
        const url = new URL('/inscription', config.publicUrl);
        url.searchParams.set('cps', await sealPrefill(decision.prefill, key, clock, config.cps.prefillTtlSeconds));
        registrationUrl = url.toString();
      }
      if (!wantsHtml(req)) return sendJson(res, 403, { error: reason });
      const name = `${signIn.professional.givenName} ${signIn.professional.familyName}`.trim();
      return sendPage(res, 403, PscUnknownPage({ lang: res.locals.lang, name, rpps: signIn.professional.nationalId.number, registrationUrl, supportContact: config.support.contact }));
    }
    if (decision.kind === 'denied') {
      await saveSession(req);
      await audit(req, res, { action: 'gateway.login', outcome: 'failure', reason: decision.reason, actor: decision.user?.identifier ?? null, details });
      return sendDenial(req, res, config, decision.reason, { ...(decision.user ? { identifier: decision.user.identifier } : {}), applicationName: res.locals.application.name });
    }
    const user = decision.user;
    if (!(await options.policy.recordLogin(user, clientIp(req)))) {
      await saveSession(req);
      await audit(req, res, { action: 'gateway.login', outcome: 'failure', reason: 'account_locked', actor: user.identifier, details });
      return sendDenial(req, res, config, 'account_locked', { identifier: user.identifier, applicationName: res.locals.application.name });
    }
    // A fresh session id at sign-in: a planted pre-login cookie is worth nothing.
    await regenerateSession(req);
    const id = runtime.random.uuid();
    await storage.pscSessions.open({ id, issuer: signIn.issuer, pscSid: signIn.sid, pscSub: signIn.professional.sub, userId: user.id, applicationId: res.locals.application.id, acr: signIn.acr, createdAt: now });
    const passwordPending = res.locals.application.signIn.passwordAfterPsc;
    req.session.psc = { id, userId: user.id, identifier: user.identifier, applicationId: res.locals.application.id, acr: signIn.acr, amr: signIn.amr, authenticatedAt: now, lastSeenAt: now, idToken: signIn.idToken, passwordPending };
    await saveSession(req);
    await audit(req, res, { action: 'gateway.login', outcome: passwordPending ? 'failure' : 'success', reason: passwordPending ? 'password_required' : null, actor: user.identifier, details: { ...details, amr: signIn.amr, session: id } });
    res.redirect(303, passwordPending ? `${PSC_PATHS.password}?${new URLSearchParams({ next: flow.next })}` : flow.next);
  });

  // `signIn.passwordAfterPsc`: the account password, counted against the lockout like any other.
  const renderPassword = (req: Request, res: Response, status: number, invalid: boolean, next: string) =>
    sendPage(
      res,
      status,
      PscPasswordPage({ lang: res.locals.lang, applicationName: res.locals.application.name, identifier: res.locals.psc!.identifier, action: PSC_PATHS.password, csrfToken: csrfToken(req.session, runtime.random), next, invalid }),
    );
  const refusal = (req: Request, res: Response): CsrfRefusal => ({ action: 'gateway.csrf', actor: res.locals.psc?.identifier ?? null, applicationId: res.locals.application.id, back: req.path === PSC_PATHS.logout ? GATEWAY_LOGOUT : PSC_PATHS.password });
  router.get(PSC_PATHS.password, (req, res, next) => (res.locals.psc?.passwordPending ? renderPassword(req, res, 200, false, safeGatewayNext(req.query.next)) : next()));
  router.post(PSC_PATHS.password, form, async (req, res, next) => {
    const psc = res.locals.psc;
    if (!psc?.passwordPending) return next();
    if (!(await checkCsrf(auditor, req, res, refusal))) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const nextPath = safeGatewayNext(body.next);
    const user = await storage.users.findById(psc.userId);
    if (!user) return sendDenial(req, res, config, 'account_deactivated');
    const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : '';
    const check = await options.policy.attempt(user, () => verifyPassword(user.passwordHash, password), { ip: clientIp(req), applicationId: res.locals.application.id });
    if (!check.ok) {
      await audit(req, res, { action: 'gateway.login', outcome: 'failure', reason: check.reason, actor: user.identifier });
      if (check.reason === 'wrong_password' && !check.locked) return renderPassword(req, res, 401, true, nextPath);
      await storage.pscSessions.end(psc.id, 'logout', clock.now().getTime());
      await regenerateSession(req);
      return sendDenial(req, res, config, 'account_locked', { identifier: user.identifier, applicationName: res.locals.application.name });
    }
    psc.passwordPending = false;
    await saveSession(req);
    await audit(req, res, { action: 'gateway.login', outcome: 'success', actor: user.identifier, details: { session: psc.id, password: true } });
    res.redirect(303, nextPath);
  });

  // Logout started here (RP-initiated): our session ends, then the provider's.
  router.get(GATEWAY_LOGOUT, async (req, res, next) => {
    const psc = res.locals.psc;
    if (!psc) return next();
    // The confirmation's POST is answered by a redirect to the provider: its origin joins form-action.
    const endSession = await client.endSessionUrl(psc.idToken, hostUrl(req, port, PSC_PATHS.loggedOut)).catch(() => null);
    const page = LoggedOutPage({ lang: res.locals.lang, applicationName: res.locals.application.name, loginUrl: PSC_PATHS.login, confirm: { action: PSC_PATHS.logout, csrfToken: csrfToken(req.session, runtime.random) } });
    sendPage(res, 200, page, { formAction: endSession ? [new URL(endSession).origin] : [] });
  });
  router.post(PSC_PATHS.logout, form, async (req, res) => {
    const psc = res.locals.psc;
    if (!psc) return res.redirect(303, PSC_PATHS.loggedOut);
    if (!(await checkCsrf(auditor, req, res, refusal))) return;
    await storage.pscSessions.end(psc.id, 'logout', clock.now().getTime());
    await audit(req, res, { action: 'gateway.logout', outcome: 'success', actor: psc.identifier, details: { session: psc.id, channel: 'relying-party' } });
    await destroyCurrentSession(req);
    const endSession = await client.endSessionUrl(psc.idToken, hostUrl(req, port, PSC_PATHS.loggedOut)).catch(() => null);
    res.redirect(303, endSession ?? PSC_PATHS.loggedOut);
  });
  router.get(PSC_PATHS.loggedOut, (req, res) => sendPage(res, 200, LoggedOutPage({ lang: res.locals.lang, applicationName: res.locals.application.name, loginUrl: PSC_PATHS.login, confirm: null })));

  // OpenID Connect Back-Channel Logout 1.0: the provider POSTs a signed logout token.
  router.post(PSC_PATHS.backChannel, form, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const token = (req.body as Record<string, unknown> | undefined)?.logout_token;
    try {
      if (typeof token !== 'string' || token.length > 8192) throw new PscError('psc_token_invalid', 'logout_token missing');
      const claims = await client.verifyLogoutToken(token);
      const ended = await storage.pscSessions.endByProvider(claims.issuer, claims.sid ? { sid: claims.sid } : { sub: claims.sub! }, 'back-channel', clock.now().getTime());
      await audit(req, res, { action: 'gateway.logout', outcome: 'success', reason: null, details: { channel: 'back-channel', sessions: ended.map((s) => s.id), users: ended.map((s) => s.userId) } });
      res.status(200).end();
    } catch (error) {
      const reason = error instanceof PscError ? error.reason : 'psc_token_invalid';
      await audit(req, res, { action: 'gateway.logout', outcome: 'failure', reason, details: { channel: 'back-channel' } });
      sendJson(res, reason === 'psc_unavailable' ? 503 : 400, { error: reason === 'psc_unavailable' ? 'temporarily_unavailable' : 'invalid_request' });
    }
  });

  // OpenID Connect Front-Channel Logout 1.0: the provider loads this in a frame with `iss` and `sid`.
  router.get(PSC_PATHS.frontChannel, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const { iss, sid } = req.query;
    const issuer = await client.issuer().catch(() => null);
    if (typeof iss !== 'string' || typeof sid !== 'string' || !sid || iss !== issuer) {
      await audit(req, res, { action: 'gateway.logout', outcome: 'failure', reason: 'psc_logout_mismatch', details: { channel: 'front-channel' } });
      return sendJson(res, 400, { error: 'invalid_request' });
    }
    const ended = await storage.pscSessions.endByProvider(issuer, { sid }, 'front-channel', clock.now().getTime());
    if (req.session.psc && ended.some((s) => s.id === req.session.psc!.id)) await regenerateSession(req);
    await audit(req, res, { action: 'gateway.logout', outcome: 'success', details: { channel: 'front-channel', sessions: ended.map((s) => s.id), users: ended.map((s) => s.userId) } });
    res.status(200).type('text/plain').send('');
  });

  // The gate: a PSC session reaches the application; no session and no certificate → sign in with PSC.
  router.use(async (req, res, next) => {
    const psc = res.locals.psc;
    const application = res.locals.application;
    if (psc) {
      if (psc.passwordPending) {
        if (req.method === 'GET' && wantsHtml(req)) return res.redirect(303, `${PSC_PATHS.password}?${new URLSearchParams({ next: req.originalUrl })}`);
        return sendJson(res, 401, { error: 'password_required' });
      }
      const decision = await decideAccountAccess(storage, psc.userId, application.id);
      if (!decision.allowed) {
        await audit(req, res, { action: 'gateway.access', outcome: 'failure', reason: decision.reason, actor: decision.user?.identifier ?? psc.identifier });
        return sendDenial(req, res, config, decision.reason, { identifier: decision.user?.identifier ?? psc.identifier, applicationName: application.name });
      }
      res.locals.user = decision.user;
      await setPscIdentityHeaders({ config, storage, clock, signingKey: deps.signingKey }, req, application, decision.user, psc);
      return options.forward(req, res, next);
    }
    if (allowsCertificate(application) && presentsCertificate(req)) return next();
    if (req.path.startsWith('/.passerelle/') && req.path !== '/.passerelle/login') return next();
    if ((req.method === 'GET' || req.method === 'HEAD') && wantsHtml(req)) {
      const target = req.path === '/.passerelle/login' ? safeGatewayNext(req.query.next) : req.originalUrl;
      return sendPage(res, 200, PscSignInPage({ lang: res.locals.lang, applicationName: application.name, loginUrl: pscLoginUrl(target), certificateAllowed: allowsCertificate(application), expired: res.locals.sessionExpired === true }));
    }
    sendJson(res, 401, { error: res.locals.sessionExpired ? 'session_expired' : 'authentication_required' });
  });
  return router;
}

declare module 'express-serve-static-core' {
  interface Locals {
    psc?: PscSessionAuth;
  }
}
