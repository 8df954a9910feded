import type { TLSSocket } from 'node:tls';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { resolveCertificate } from '../../authentication/certificate.ts';
import { bearerToken, parseToken, verifyToken } from '../../tokens/index.ts';
import type { ApiToken, User } from '../../model/index.ts';
import type { Actor } from '../../accounts/service.ts';
import type { HttpDeps } from '../deps.ts';
import { clientIp, presentedCertificate } from '../context.ts';
import { sendJson } from '../respond.ts';

/** Who is calling the admin API, once both credentials agree. */
export interface AdminContext {
  user: User;
  token: ApiToken;
  certificateSerial: string;
  actor: Actor;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      admin?: AdminContext;
    }
  }
}

export function adminOf(res: Response): AdminContext {
  // Only routes behind `requireCoordinator` call this; anything else is a programming error.
  if (!res.locals.admin) throw new Error('admin route without requireCoordinator');
  return res.locals.admin;
}

interface Refusal {
  status: 401 | 403;
  error: 'coordinator_certificate_required' | 'token_required' | 'invalid_token' | 'token_certificate_mismatch';
  message: string;
  /** Why, for the audit trail (the client only sees `error`). */
  reason: string;
}

/**
 * The admin API needs BOTH a client certificate on this TLS connection — a personal
 * certificate of our CA, on record, not revoked, whose owner is an active coordinator —
 * AND a bearer token of that same person. Everything else is refused; every decision,
 * either way, is audited (who, from which IP and certificate, what was asked).
 */
export function requireCoordinator(deps: HttpDeps): RequestHandler {
  const { runtime } = deps;
  return async (req: Request, res: Response, next: NextFunction) => {
    const ip = clientIp(req);
    const path = req.originalUrl.split('?')[0]!.slice(0, 200);
    const presentedToken = bearerToken(req.headers.authorization);
    const tokenId = presentedToken ? (parseToken(presentedToken)?.id ?? null) : null;
    const audit = (outcome: 'success' | 'failure', reason: string | null, actor: string | null, serial: string | null) =>
      runtime.auditor.record({ action: 'api.request', outcome, reason, actor, ip, certificateSerial: serial, details: { method: req.method, path, tokenId } });
    const refuse = async (refusal: Refusal, actor: string | null, serial: string | null) => {
      await audit('failure', refusal.reason, actor, serial);
      if (refusal.status === 401) res.setHeader('WWW-Authenticate', refusal.error === 'invalid_token' ? 'Bearer realm="passerelle", error="invalid_token"' : 'Bearer realm="passerelle"');
      sendJson(res, refusal.status, { error: refusal.error, message: refusal.message });
    };
    const certificateRequired = (reason: string): Refusal => ({
      status: 403,
      error: 'coordinator_certificate_required',
      message: 'the admin API needs the personal certificate of an active coordinator on this connection',
      reason,
    });

    const resolution = await resolveCertificate(presentedCertificate(req.socket as TLSSocket), runtime.storage, runtime.clock);
    if (!resolution.ok) return refuse(certificateRequired(resolution.reason), null, resolution.serial);
    const { record, owner } = resolution.context;
    if (record.kind !== 'personal' || !owner) return refuse(certificateRequired(record.kind === 'collective' ? 'collective_certificate' : 'not_a_platform_certificate'), null, record.serial);
    if (owner.role !== 'coordinator') return refuse(certificateRequired('not_coordinator'), owner.identifier, record.serial);
    if (owner.status !== 'active') return refuse(certificateRequired(`account_${owner.status}`), owner.identifier, record.serial);

    if (!presentedToken) return refuse({ status: 401, error: 'token_required', message: 'send an API token: Authorization: Bearer psl_…', reason: 'token_required' }, owner.identifier, record.serial);
    const token = await verifyToken(runtime, presentedToken);
    if (!token) return refuse({ status: 401, error: 'invalid_token', message: 'the API token is unknown, wrong or revoked', reason: 'invalid_token' }, owner.identifier, record.serial);
    if (token.userId !== owner.id) {
      return refuse({ status: 403, error: 'token_certificate_mismatch', message: 'the API token and the certificate belong to different people', reason: 'token_certificate_mismatch' }, owner.identifier, record.serial);
    }

    await audit('success', null, owner.identifier, record.serial);
    res.locals.admin = { user: owner, token, certificateSerial: record.serial, actor: { name: owner.identifier, ip, certificateSerial: record.serial } };
    next();
  };
}
