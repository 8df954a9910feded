import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import type { GatewayResponse } from '../kit/locals.ts';
import { z } from 'zod';
import type { HttpDeps } from '../deps.ts';
import { RenewalService } from '../../enrollment/renewal.ts';
import { PasserelleError } from '../../shared/errors.ts';
import { logger } from '../../shared/logger.ts';
import { clientIp } from '../context.ts';
import { checkCsrf, csrfToken, type CsrfRefusal } from '../kit/csrf.ts';
import { sendJson, sendPage } from '../respond.ts';
import { RenewalCollectivePage, RenewalPage } from '../pages/withdrawal/index.ts';

export const RENEWAL_PATH = '/.passerelle/renouveler';

const DAY_MS = 86_400_000;
const RenewBody = z.object({ csr: z.string().min(1).max(20_000) });

/**
 * /.passerelle/renouveler on application hosts, after the signed-in check and before the grant check:
 * renewal from the same workstation by presenting the current personal certificate (journey 12).
 * Allowed whenever the certificate is valid — the page says how long it has left and when the reminder comes.
 * The current certificate stays valid until the new one is first presented (src/enrollment/renewal-supersede.ts).
 */
export function renewalRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const { config } = runtime;
  const service = new RenewalService(runtime);
  const router = Router();

  router.get(RENEWAL_PATH, (req, res) => {
    const { certificate } = res.locals;
    if (certificate.record.kind !== 'personal' || !certificate.owner) {
      sendPage(res, 403, RenewalCollectivePage({ lang: res.locals.lang }));
      return;
    }
    const now = runtime.clock.now().getTime();
    sendPage(
      res,
      200,
      RenewalPage({
        lang: res.locals.lang,
        keyAlgorithm: config.withdrawal.keyAlgorithm,
        csrfToken: csrfToken(req.session, runtime.random),
        submitUrl: RENEWAL_PATH,
        identifier: certificate.owner.identifier,
        current: { label: certificate.record.label, serial: certificate.record.serial, notAfter: certificate.record.notAfter },
        daysLeft: Math.max(0, Math.floor((certificate.record.notAfter - now) / DAY_MS)),
        noticeDays: config.renewal.noticeDays,
      }),
    );
  });

  const json = express.json({ limit: '32kb' });

  router.post(RENEWAL_PATH, json, async (req, res) => {
    // Who may renew first (a collective certificate is told what to do instead), then the token: the kit's one answer.
    if (mayRenew(res) && !(await checkCsrf(runtime.auditor, req, res, refusal))) return;
    await audited(req, res, 'renewal.issue', async () => {
      const body = RenewBody.safeParse(req.body);
      if (!body.success) throw new PasserelleError(400, 'invalid_request', 'expected a JSON body {csr}');
      return service.renew(res.locals.certificate, body.data.csr, clientIp(req));
    });
  });

  /** Runs one renewal action; successes are audited by the service, refusals here. */
  async function audited(req: Request, res: GatewayResponse, action: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      sendJson(res, 200, await fn());
    } catch (error) {
      const { certificate } = res.locals;
      await runtime.auditor
        .record({
          action,
          outcome: 'failure',
          reason: error instanceof PasserelleError ? error.code : 'internal_error',
          actor: certificate.owner?.identifier ?? res.locals.auth?.identifier ?? null,
          subject: certificate.owner?.identifier ?? `establishment:${certificate.record.establishmentId}`,
          ip: clientIp(req),
          certificateSerial: certificate.record.serial,
          applicationId: res.locals.application.id,
        })
        .catch(() => undefined);
      throw error;
    }
  }

  function mayRenew(res: GatewayResponse): boolean {
    try {
      service.holder(res.locals.certificate);
      return true;
    } catch {
      return false;
    }
  }

  const refusal = (_req: Request, res: GatewayResponse): CsrfRefusal => ({
    action: 'gateway.csrf',
    actor: res.locals.certificate.owner?.identifier ?? null,
    certificateSerial: res.locals.certificate.record.serial,
    applicationId: res.locals.application.id,
    back: RENEWAL_PATH,
  });

  const jsonErrors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    if (error instanceof PasserelleError && error.expose) {
      sendJson(res, error.status, { error: error.code, message: error.message });
      return;
    }
    const body = error as { status?: unknown; type?: unknown };
    if (typeof body?.status === 'number' && body.status >= 400 && body.status < 500 && typeof body.type === 'string') {
      sendJson(res, body.status, { error: body.type === 'entity.too.large' ? 'payload_too_large' : 'invalid_request' });
      return;
    }
    logger.error('renewal failed', { error: error instanceof Error ? error.message : String(error) });
    sendJson(res, 500, { error: 'internal_error' });
  };
  router.use(RENEWAL_PATH, jsonErrors);
  return router;
}
