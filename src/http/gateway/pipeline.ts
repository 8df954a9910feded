import type { RequestHandler } from 'express';
import type { TLSSocket } from 'node:tls';
import type { Runtime } from '../../core/runtime.ts';
import type { ApplicationConfig } from '../../config/index.ts';
import { resolveCertificate } from '../../authentication/certificate.ts';
import { supersedeOnFirstUse } from '../../enrollment/renewal-supersede.ts';
import { evaluateSession, shouldTouch, type SessionLimits } from '../../authentication/session-policy.ts';
import { decideAccess } from '../../authorization/access.ts';
import { clientIp, presentedCertificate, requestHost } from '../context.ts';
import { sendDenial } from '../kit/deny.ts';
import { regenerateSession } from '../kit/session.ts';
import { hostFamily } from './host-family.ts';
import { allowsCertificateKind } from '../../psc/index.ts';
import { sendJson, wantsHtml } from '../respond.ts';

/** Host → declared application; anything else is refused. */
export function resolveApplication(runtime: Runtime, internal: ApplicationConfig[] = []): RequestHandler {
  const byHost = new Map([...runtime.config.applications, ...internal].map((app) => [app.host, app]));
  return (req, res, next) => {
    const application = byHost.get(requestHost(req));
    if (!application) {
      sendDenial(req, res, runtime.config, 'unknown_application');
      return;
    }
    res.locals.application = application;
    next();
  };
}

/** Client certificate → record → owner, on every request; refusals explained and audited. */
export function requireCertificate(runtime: Runtime): RequestHandler {
  return async (req, res, next) => {
    const resolution = await resolveCertificate(presentedCertificate(req.socket as TLSSocket), runtime.storage, runtime.clock);
    // The application's sign-in policy (issue 12) may leave out this kind of certificate.
    const refused = resolution.ok && !allowsCertificateKind(res.locals.application, resolution.context.record.kind);
    if (resolution.ok && !refused) {
      res.locals.certificate = resolution.context;
      // A renewed certificate in use: the one it replaces goes now (journey 12).
      await supersedeOnFirstUse(runtime, resolution.context, clientIp(req));
      next();
      return;
    }
    if (resolution.ok) {
      await runtime.auditor.record({ action: 'gateway.certificate', outcome: 'failure', reason: 'method_not_allowed', ip: clientIp(req), certificateSerial: resolution.context.record.serial, applicationId: res.locals.application.id, details: { kind: resolution.context.record.kind } });
      sendDenial(req, res, runtime.config, 'method_not_allowed', { applicationName: res.locals.application.name });
      return;
    }
    await runtime.auditor.record({
      action: 'gateway.certificate',
      outcome: 'failure',
      reason: resolution.reason,
      ip: clientIp(req),
      certificateSerial: resolution.serial,
      applicationId: res.locals.application.id,
      details: resolution.fingerprint ? { fingerprint: resolution.fingerprint, ...(resolution.cps ? { cps: resolution.cps } : {}) } : null,
    });
    const expiredOn = resolution.notAfter ? new Date(resolution.notAfter).toISOString().slice(0, 10) : undefined;
    sendDenial(req, res, runtime.config, resolution.reason, { serial: resolution.serial ?? undefined, expiredOn, cps: resolution.cps });
  };
}

/**
 * The session is bound to the certificate it was opened with and to the host family (console
 * or applications) it was opened on: presented with another certificate, or on the other
 * family, it is dropped (not merely ignored) and the request goes on without a session.
 * Idle and absolute limits use the injected clock.
 */
export function bindSession(runtime: Runtime, limits: SessionLimits): RequestHandler {
  return async (req, res, next) => {
    const certificate = res.locals.certificate;
    const now = runtime.clock.now().getTime();
    const auth = req.session.auth;
    const verdict = evaluateSession(auth, certificate.record.fingerprintSha256, hostFamily(res.locals.application), now, limits);
    if (verdict === 'valid' && auth) {
      if (shouldTouch(auth, now)) auth.lastSeenAt = now;
      res.locals.auth = auth;
      next();
      return;
    }
    if (verdict !== 'none') {
      await runtime.auditor.record({
        action: 'gateway.session',
        outcome: 'failure',
        reason: verdict,
        ip: clientIp(req),
        certificateSerial: certificate.record.serial,
        applicationId: res.locals.application.id,
        details: { userId: auth?.userId ?? null },
      });
      await regenerateSession(req);
      res.locals.sessionExpired = verdict === 'idle_timeout' || verdict === 'absolute_timeout';
    }
    next();
  };
}

/** No live session: browsers go to the login form, scripts get 401. */
export const requireSignedIn: RequestHandler = (req, res, next) => {
  if (res.locals.auth) {
    next();
    return;
  }
  if ((req.method === 'GET' || req.method === 'HEAD') && wantsHtml(req)) {
    const query = new URLSearchParams({ next: req.originalUrl });
    if (res.locals.sessionExpired) query.set('expired', '1');
    res.redirect(303, `/.passerelle/login?${query.toString()}`);
    return;
  }
  sendJson(res, 401, { error: res.locals.sessionExpired ? 'session_expired' : 'authentication_required' });
};

/** Account still usable and granted this application — checked on every request. */
export function requireAccess(runtime: Runtime): RequestHandler {
  return async (req, res, next) => {
    const { certificate, application, auth } = res.locals;
    if (!auth) throw new Error('requireAccess runs after requireSignedIn');
    const decision = await decideAccess(runtime.storage, certificate, auth.userId, application.id);
    if (decision.allowed) {
      res.locals.user = decision.user;
      next();
      return;
    }
    await runtime.auditor.record({
      action: 'gateway.access',
      outcome: 'failure',
      reason: decision.reason,
      actor: decision.user?.identifier ?? null,
      subject: decision.user?.identifier ?? null,
      ip: clientIp(req),
      certificateSerial: certificate.record.serial,
      applicationId: application.id,
    });
    sendDenial(req, res, runtime.config, decision.reason, { identifier: decision.user?.identifier, applicationName: application.name });
  };
}
