import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { ServerResponse as ServerResponseClass } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import session from 'express-session';
import { fileURLToPath } from 'node:url';
import type { ApplicationConfig } from '../../config/index.ts';
import { getSession, publishSessionChanges } from '../../session/index.ts';
import { watchStore } from '../../events/index.ts';
import { HotState } from './hot-state.ts';
import { allowsCertificateKind } from '../../psc/policy.ts';
import { createFastPath } from './fast-path.ts';
import { pickLanguage } from '../i18n/index.ts';
import { parse as parseCookie } from 'cookie';
import { renderPage } from '../pages/render.ts';
import { withSite } from '../site.ts';
import { pageHeaders } from '../security-headers.ts';
import { jwks } from '../../identity/index.ts';
import { resolveCertificate } from '../../authentication/certificate.ts';
import { GatewayAuthenticator } from '../../authentication/gateway-login.ts';
import { evaluateSession, type SessionLimits } from '../../authentication/session-policy.ts';
import { decideAccess } from '../../authorization/access.ts';
import { LoginPolicy } from '../../regulation/login-policy.ts';
import { createUpstreamProxy, classifyUpstreamError, type UpstreamProxy } from '../../proxy/upstream.ts';
import { UpstreamErrorPage } from '../pages/index.ts';
import { clientIp, presentedCertificate, requestHost } from '../context.ts';
import { language } from '../language.ts';
import { sendJson, sendPage, wantsHtml } from '../respond.ts';
import { errorHandler } from '../errors.ts';
import { bindSession, requireAccess, requireCertificate, requireSignedIn, resolveApplication } from './pipeline.ts';
import { loginRoutes } from './login.ts';
import { ssoRoutes } from './sso.ts';
import { legacyFirstUse } from './legacy.ts';
import { firstUseState, hasLegacy } from '../../legacy/index.ts';
import { setIdentityHeaders } from './identity.ts';
import { unsignSessionId } from './session-cookie.ts';
import { renewalRoutes } from './renewal.ts';
import { pscGateway } from './psc.ts';
import { hostFamily } from './host-family.ts';
import { keepTransportSecurityOnly } from '../security-headers.ts';
import { hasOriginFormTarget } from '../request-target.ts';
import type { HttpDeps } from '../deps.ts';
import { consoleUi } from '../console/ui/index.ts';
import { requireCoordinatorCertificate } from '../console/ui/access.ts';
import { SITE_SETTING, siteOf } from '../site.ts';
import { brandingAssets } from '../branding-assets.ts';
import { CONSOLE_APPLICATION_ID, consoleApplication } from '../console/application.ts';

export type GatewayDeps = HttpDeps;

export interface Gateway {
  /** The lean path first (fast-path.ts), the full pipeline for everything it does not take. */
  handle(req: IncomingMessage, res: ServerResponse, done?: (error?: unknown) => void): void;
  app: Express;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

const ASSETS = fileURLToPath(new URL('../assets/', import.meta.url));

/** Runs `handler` only on the console host (`console: true`) or only on application hosts. */
function onConsoleHost(console: boolean, handler: RequestHandler): RequestHandler {
  return (req, res, next) => ((res.locals.application.id === CONSOLE_APPLICATION_ID) === console ? handler(req, res, next) : next());
}

export function createGateway(deps: GatewayDeps): Gateway {
  const { runtime } = deps;
  const { config } = runtime;
  const limits: SessionLimits = {
    idleTimeoutMs: config.session.idleTimeoutMinutes * 60_000,
    absoluteTimeoutMs: config.session.absoluteTimeoutHours * 3_600_000,
  };
  const authenticator = new GatewayAuthenticator(runtime.storage, new LoginPolicy(runtime.storage, runtime.clock, runtime.auditor, config.lockout.maxFailures), runtime.auditor);

  const proxies = new Map<string, UpstreamProxy>();
  for (const application of config.applications) {
    proxies.set(application.id, createUpstreamProxy(application, (error, req, res) => upstreamFailed(application, error, req, res)));
  }

  function upstreamFailed(application: ApplicationConfig, error: NodeJS.ErrnoException, req: IncomingMessage, res: ServerResponse | Duplex): void {
    const failure = classifyUpstreamError(error);
    void runtime.auditor
      .record({ action: 'proxy.upstream', outcome: 'failure', reason: failure.code, applicationId: application.id, ip: clientIp(req as never) })
      .catch(() => undefined);
    if (!(res instanceof ServerResponseClass)) {
      res.destroy();
      return;
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // The fast path's responses never met Express: the same page or JSON, written by hand.
    const express = res as express.Response;
    if (typeof express.status === 'function' && express.locals) {
      if (wantsHtml(express.req)) sendPage(express, failure.status, UpstreamErrorPage({ lang: express.locals.lang, applicationName: application.name, status: failure.status }));
      else sendJson(express, failure.status, { error: 'upstream_unavailable' });
      return;
    }
    pageHeaders(res);
    const accept = String(req.headers.accept ?? '');
    if (accept.includes('application/json') && !accept.includes('text/html')) {
      res.writeHead(failure.status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: 'upstream_unavailable' }));
      return;
    }
    const lang = pickLanguage({ cookie: parseCookie(req.headers.cookie ?? '').lang, acceptLanguage: req.headers['accept-language'] });
    const html = withSite(siteOf(config), () => renderPage(UpstreamErrorPage({ lang, applicationName: application.name, status: failure.status })));
    res.writeHead(failure.status, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  }

  const sessionMiddleware = session({
    store: deps.sessions.store,
    secret: deps.sessionSecret,
    name: config.session.cookieName,
    resave: false,
    saveUninitialized: false,
    unset: 'destroy',
    cookie: { secure: true, httpOnly: true, sameSite: 'lax', path: '/', maxAge: limits.absoluteTimeoutMs },
  });

  const proxy: RequestHandler = async (req, res) => {
    const application = res.locals.application;
    await setIdentityHeaders({ config, storage: runtime.storage, clock: runtime.clock, signingKey: deps.signingKey }, req, application, res.locals.user!, res.locals.certificate);
    // The application's response carries its own headers; of ours only HSTS (our TLS) stays.
    keepTransportSecurityOnly(res);
    proxies.get(application.id)!.forward(req, res);
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set(SITE_SETTING, siteOf(config));
  app.use(language);
  app.use(resolveApplication(runtime, [consoleApplication(config)]));
  // Public material on every application host, before any certificate check.
  app.get('/.well-known/passerelle/jwks.json', (_req, res) => sendJson(res, 200, jwks([deps.signingKey])));
  app.use('/.passerelle/assets', brandingAssets(config), express.static(ASSETS, { index: false, maxAge: '1h' }));
  // Pro Santé Connect (issue 12), where an application's policy allows it: its routes and sessions come before the certificate check.
  const pscForward: RequestHandler = (req, res) => {
    keepTransportSecurityOnly(res);
    proxies.get(res.locals.application.id)!.forward(req, res);
  };
  app.use(onConsoleHost(false, pscGateway(deps, { session: sessionMiddleware, limits, policy: new LoginPolicy(runtime.storage, runtime.clock, runtime.auditor, config.lockout.maxFailures), forward: pscForward })));
  app.use(requireCertificate(runtime));
  app.use(onConsoleHost(true, requireCoordinatorCertificate(deps)));
  app.use(sessionMiddleware);
  app.use(bindSession(runtime, limits));
  // Portal tiles' single sign-on tickets: needs the certificate and the session, comes before the login form.
  app.use(ssoRoutes(deps));
  app.use(loginRoutes(runtime, authenticator));
  app.use(requireSignedIn);
  // Renewal on application hosts only: on the console host it would bypass the console's second factor.
  app.use(onConsoleHost(false, renewalRoutes(deps)));
  // The console host is served here, not proxied: same certificate, session and lockout rules.
  app.use(onConsoleHost(true, consoleUi(deps)));
  app.use(requireAccess(runtime));
  app.use(legacyFirstUse(deps));
  app.use(proxy);
  app.use(errorHandler as ErrorRequestHandler);

  /**
   * WebSockets pass the same checks as requests: certificate, bound live session (opened on an
   * application host), account, grant. Only origin-form targets and only the WebSocket protocol:
   * an `Upgrade: h2c` passed on would let a client talk HTTP/2 to the application past the gateway.
   */
  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // The audit line is written before the answer: whoever reads the trail after a refusal finds it.
    const refuse = async (status: number, reason: string): Promise<void> => {
      await runtime.auditor.record({ action: 'gateway.websocket', outcome: 'failure', reason, ip: clientIp(req as never) }).catch(() => undefined);
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\nStrict-Transport-Security: max-age=31536000\r\nX-Content-Type-Options: nosniff\r\n\r\n${JSON.stringify({ error: reason })}`,
      );
    };
    void (async () => {
      if (!hasOriginFormTarget(req)) return refuse(400, 'invalid_request_target');
      if (String(req.headers.upgrade).toLowerCase() !== 'websocket') return refuse(400, 'unsupported_upgrade');
      const application = config.applications.find((a) => a.host === requestHost(req));
      if (!application) return refuse(403, 'unknown_application');
      const resolution = await resolveCertificate(presentedCertificate(req.socket as TLSSocket), runtime.storage, runtime.clock);
      if (!resolution.ok) return refuse(403, resolution.reason);
      if (!allowsCertificateKind(application, resolution.context.record.kind)) return refuse(403, 'method_not_allowed');
      const sid = unsignSessionId(req.headers.cookie, config.session.cookieName, deps.sessionSecret);
      const data = sid ? await getSession(deps.sessions.store, sid) : null;
      const verdict = evaluateSession(data?.auth, resolution.context.record.fingerprintSha256, hostFamily(application), runtime.clock.now().getTime(), limits);
      if (verdict !== 'valid' || !data?.auth) return refuse(401, verdict === 'none' ? 'authentication_required' : verdict);
      const decision = await decideAccess(runtime.storage, resolution.context, data.auth.userId, application.id);
      if (!decision.allowed) return refuse(403, decision.reason);
      if (hasLegacy(application) && (await firstUseState(runtime, decision.user.id, application)).kind === 'needed') return refuse(403, 'legacy_choice_required');
      await setIdentityHeaders({ config, storage: runtime.storage, clock: runtime.clock, signingKey: deps.signingKey }, req, application, decision.user, resolution.context, true);
      proxies.get(application.id)!.upgrade(req, socket, head);
    })().catch(() => refuse(503, 'unavailable'));
  }

  // The fast path's caches: forgotten on every committed access change (this process: at once;
  // others: Redis at once, the store's change counter within 250 ms) and on every session save.
  publishSessionChanges(deps.sessions.store, runtime.events);
  const watch = watchStore(runtime.storage.changes, () => hot.forgetAll());
  const hot: HotState = new HotState({ events: runtime.events, watch, now: () => runtime.clock.now().getTime() });
  const fastPath = createFastPath({ runtime, store: deps.sessions.store, sessionSecret: deps.sessionSecret, signingKey: deps.signingKey, limits, hot, proxies });

  function handle(req: IncomingMessage, res: ServerResponse, done?: (error?: unknown) => void): void {
    const full = () => app(req as express.Request, res as express.Response, done ?? (() => undefined));
    fastPath(req, res).then(
      (taken) => {
        if (!taken) full();
      },
      // A store or session-store failure on the lean path: the full pipeline answers it properly.
      () => {
        if (!res.headersSent) full();
      },
    );
  }

  return {
    handle,
    app,
    handleUpgrade,
    close: () => {
      watch.stop();
      hot.close();
      proxies.forEach((p) => p.close());
    },
  };
}
