import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { RateLimiterRes } from '../../session/index.ts';
import { z } from 'zod';
import type { HttpDeps } from '../deps.ts';
import { WithdrawalService } from '../../enrollment/withdrawal.ts';
import { BadRequestError, PasserelleError } from '../../shared/errors.ts';
import { logger } from '../../shared/logger.ts';
import { clientIp } from '../context.ts';
import { ownServerCertificateInUse } from '../tls.ts';
import { sendJson, sendPage } from '../respond.ts';
import { WithdrawalPage } from '../pages/withdrawal/index.ts';

export const WITHDRAWAL_PAGE = '/retrait';
/** Our CA chain (root included), served by the public app. */
export const ROOT_CERTIFICATE_PATH = '/pki/ca.pem';
export const WITHDRAWAL_API = '/api/withdrawal';
/** Identifier + code checked (nothing spent) before the page asks for the file password and sends the CSR. */
export const WITHDRAWAL_CHECK_API = '/api/withdrawal/check';

/**
 * Failed attempts per address (wrong code, bad CSR, bad body), on top of the per-code lock. Failures only:
 * a hospital behind one address may have many people picking up certificates the same morning.
 */
export const WITHDRAWAL_FAILURES_PER_IP = { points: 30, duration: 900 };

const Body = z.object({
  identifier: z.string().trim().min(1).max(200),
  code: z.string().min(1).max(64),
  csr: z.string().min(1).max(20_000),
});
const CheckBody = Body.omit({ csr: true });

/** /retrait (in-browser certificate pickup) and POST /api/withdrawal (also for scripted installs) on the public listener. */
export function withdrawalRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const { config } = runtime;
  const service = new WithdrawalService(runtime);
  const failures = deps.sessions.rateLimiter({ keyPrefix: 'withdrawal-ip', ...WITHDRAWAL_FAILURES_PER_IP });
  const router = Router();

  router.get(WITHDRAWAL_PAGE, (_req, res) => {
    sendPage(res, 200, WithdrawalPage({ lang: res.locals.lang, assetBase: '/assets', keyAlgorithm: config.withdrawal.keyAlgorithm, platformDomain: config.platformDomain, apiUrl: WITHDRAWAL_API, checkUrl: WITHDRAWAL_CHECK_API, retryWindowMinutes: config.withdrawal.retryWindowMinutes, rootCertificateUrl: ownServerCertificateInUse(config) ? ROOT_CERTIFICATE_PATH : null }));
  });

  // A point is spent BEFORE the work (atomic: concurrent requests cannot overrun the limit) and
  // given back when the attempt was no failure (a certificate issued, or our own 5xx).
  const throttle: RequestHandler = async (req, res, next) => {
    try {
      await failures.consume(clientIp(req) ?? 'unknown');
      next();
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.msBeforeNext / 1000))));
      sendJson(res, 429, { error: 'rate_limited', message: 'too many failed attempts from this address; wait before trying again' });
    }
  };
  const giveBack = (req: Request) => failures.reward(clientIp(req) ?? 'unknown', 1).catch(() => undefined);

  // The code is checked (a wrong one counts like a wrong redeem) before the page asks for the file password.
  router.post(WITHDRAWAL_CHECK_API, throttle, express.json({ limit: '4kb' }), async (req, res) => {
    const parsed = CheckBody.safeParse(req.body);
    if (!parsed.success) throw new BadRequestError('invalid_request', 'expected a JSON body {identifier, code}');
    await service.check({ identifier: parsed.data.identifier, code: parsed.data.code, ip: clientIp(req) });
    await giveBack(req);
    sendJson(res, 200, { ok: true });
  });

  router.post(WITHDRAWAL_API, throttle, express.json({ limit: '32kb' }), async (req, res) => {
    const parsed = Body.safeParse(req.body);
    if (!parsed.success) throw new BadRequestError('invalid_request', 'expected a JSON body {identifier, code, csr}');
    const { identifier, code, csr } = parsed.data;
    const result = await service.redeem({ identifier, code, csrPem: csr, ip: clientIp(req) });
    await giveBack(req);
    sendJson(res, 200, { certificate: result.certificate, chain: result.chain, serial: result.serial, label: result.label });
  });

  /** Always JSON here, whatever the Accept header (curl sends *\/*); every refusal keeps the point spent by `throttle`. */
  const jsonErrors: ErrorRequestHandler = async (error: unknown, req, res, _next) => {
    let status = 500;
    let body: { error: string; message?: string } = { error: 'internal_error' };
    if (error instanceof PasserelleError && error.expose) {
      status = error.status;
      body = { error: error.code, message: error.message };
    } else if (isBodyError(error)) {
      status = error.status;
      body = error.type === 'entity.too.large' ? { error: 'payload_too_large', message: 'the request body is limited to 32 kB' } : { error: 'invalid_request', message: 'the body is not valid JSON' };
    } else {
      logger.error('withdrawal failed', { error: error instanceof Error ? error.message : String(error) });
    }
    if (status >= 500) await giveBack(req);
    sendJson(res, status, body);
  };
  router.use(WITHDRAWAL_API, jsonErrors);
  return router;
}

function isBodyError(error: unknown): error is { status: number; type: string } {
  const e = error as { status?: unknown; type?: unknown };
  return typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string';
}
