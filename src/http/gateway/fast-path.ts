import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Store } from 'express-session';
import { parse as parseCookie } from 'cookie';
import type { Runtime } from '../../core/runtime.ts';
import type { ApplicationConfig } from '../../config/index.ts';
import { resolveCertificate, type CertificateContext } from '../../authentication/certificate.ts';
import { evaluateSession, shouldTouch, type SessionLimits } from '../../authentication/session-policy.ts';
import { decideAccess } from '../../authorization/access.ts';
import { supersedeOnFirstUse } from '../../enrollment/renewal-supersede.ts';
import { firstUseState, hasLegacy } from '../../legacy/index.ts';
import { getSession } from '../../session/index.ts';
import { allowsCertificateKind } from '../../psc/policy.ts';
import type { SigningKey } from '../../identity/index.ts';
import type { UpstreamProxy } from '../../proxy/upstream.ts';
import { clientIp, presentedCertificate, requestHost } from '../context.ts';
import { keepTransportSecurityOnly } from '../security-headers.ts';
import type { ConnectionEntry, HotState } from './hot-state.ts';
import { applyPreparedIdentity, prepareIdentity } from './identity.ts';
import { unsignSessionId } from './session-cookie.ts';

export interface FastPathDeps {
  runtime: Runtime;
  store: Store;
  sessionSecret: string | readonly string[];
  signingKey: SigningKey;
  limits: SessionLimits;
  hot: HotState;
  /** Upstream failures are answered by the proxies' own handler (app.ts), Express or not. */
  proxies: ReadonlyMap<string, UpstreamProxy>;
}

/** `true`: the request was taken (and will be answered); `false`: the caller runs the full pipeline. */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Gateway paths (login, SSO, renewal, legacy first use, assets, JWKS): Express routes them, case-insensitively. */
function isGatewayPath(url: string): boolean {
  const head = url.slice(0, 24).toLowerCase();
  return head.startsWith('/.passerelle') || head.startsWith('/.well-known/passerelle');
}

/**
 * The lean path of an authenticated request to an application: no Express, no store lookup in
 * the steady state. It only ever says yes: a request it cannot vouch for from fresh cached state
 * (no session, a session to touch, a certificate or account refused, a legacy choice pending,
 * `?lang=`, a gateway path, caches unusable) goes to the full pipeline (app.ts), which checks the
 * store, answers, audits — and does the writing (the lean path writes only what resolving a renewed
 * certificate writes in the pipeline too: the superseded one's revocation). What it caches and when it forgets is
 * in hot-state.ts; the decisions are the pipeline's own functions (resolveCertificate,
 * evaluateSession, decideAccess, firstUseState, prepareIdentity).
 */
export function createFastPath(deps: FastPathDeps): FastPath {
  const { runtime, hot, limits } = deps;
  const { config } = runtime;
  const byHost = new Map(config.applications.map((app) => [app.host, app]));
  const cookieName = config.session.cookieName;

  /** `fresh`: read from the store on this request (a new connection): the session and access are then read afresh too. */
  async function certificateOf(socket: TLSSocket, req: IncomingMessage): Promise<{ entry: ConnectionEntry; fresh: boolean } | null> {
    const cached = hot.connection(socket);
    if (cached) return { entry: cached, fresh: false };
    const stamp = hot.stamp();
    const resolution = await resolveCertificate(presentedCertificate(socket), runtime.storage, runtime.clock);
    if (!resolution.ok) return null;
    await supersedeOnFirstUse(runtime, resolution.context, clientIp(req));
    const entry: ConnectionEntry = { ...stamp, certificate: resolution.context };
    hot.keepConnection(socket, entry);
    return { entry, fresh: true };
  }

  function sessionIdOf(entry: ConnectionEntry, cookieHeader: string | undefined): string | null {
    if (entry.sid !== undefined && entry.cookieHeader === cookieHeader) return entry.sid;
    const raw = cookieHeader && cookieHeader.includes(cookieName) ? parseCookie(cookieHeader)[cookieName] : undefined;
    const sid = raw ? unsignSessionId(`${cookieName}=${raw}`, cookieName, deps.sessionSecret) : null;
    entry.cookieHeader = cookieHeader;
    entry.sid = sid;
    return sid;
  }

  async function sessionOf(sid: string, fresh: boolean) {
    const cached = fresh ? undefined : hot.session(sid);
    if (cached) return cached;
    const stamp = hot.stamp();
    const data = await getSession(deps.store, sid);
    if (!data) return null;
    const entry = { ...stamp, data };
    hot.keepSession(sid, entry);
    return entry;
  }

  async function accessOf(application: ApplicationConfig, context: CertificateContext, userId: string, fresh: boolean) {
    const key = `${userId}\u0000${application.id}\u0000${context.record.serial}`;
    const cached = fresh ? undefined : hot.accessFor(key);
    if (cached) return cached;
    const stamp = hot.stamp();
    const decision = await decideAccess(runtime.storage, context, userId, application.id);
    if (!decision.allowed) return null;
    // A pending legacy-identifier choice is a page of the full pipeline.
    if (hasLegacy(application) && (await firstUseState(runtime, decision.user.id, application)).kind === 'needed') return null;
    const entry = { ...stamp, user: decision.user };
    hot.keepAccess(key, entry);
    return entry;
  }

  return async function fastPath(req, res) {
    const url = req.url ?? '/';
    if (!hot.usable || isGatewayPath(url) || url.includes('lang=')) return false;
    const application = byHost.get(requestHost(req));
    if (!application) return false;
    const socket = req.socket as TLSSocket;
    const resolved = await certificateOf(socket, req);
    if (!resolved) return false;
    // A new connection checks everything against the store (a change made by another process is seen at once);
    // later requests on it rely on the invalidations (at once in-process and over Redis, ≤ 250 ms by the counter).
    const { entry: connection, fresh } = resolved;
    const certificate = connection.certificate;
    // An application that does not take this kind of certificate: the pipeline refuses (method_not_allowed).
    if (!allowsCertificateKind(application, certificate.record.kind)) return false;
    const now = runtime.clock.now().getTime();
    // Cached or not, a certificate is refused the moment it expires.
    if (now >= certificate.record.notAfter) return false;
    const sid = sessionIdOf(connection, req.headers.cookie);
    if (!sid) return false;
    const session = await sessionOf(sid, fresh);
    const auth = session?.data.auth;
    if (!auth || evaluateSession(auth, certificate.record.fingerprintSha256, 'applications', now, limits) !== 'valid') return false;
    if (shouldTouch(auth, now)) {
      // The pipeline writes the activity back; its save tells every process to re-read the session.
      hot.forgetSession(sid);
      return false;
    }
    const access = await accessOf(application, certificate, auth.userId, fresh);
    if (!access) return false;
    let identity = hot.identity(sid, application.id);
    if (!identity) {
      const stamp = hot.stamp();
      identity = { ...stamp, prepared: await prepareIdentity({ config, storage: runtime.storage, clock: runtime.clock, signingKey: deps.signingKey }, application, access.user, certificate) };
      hot.keepIdentity(sid, application.id, identity);
    }
    applyPreparedIdentity(runtime, req, application, identity.prepared);
    keepTransportSecurityOnly(res);
    deps.proxies.get(application.id)!.forward(req, res);
    return true;
  };
}
