import type { RequestHandler } from 'express';
import type { HttpDeps } from '../../deps.ts';
import { requireCsrf } from '../../kit/csrf.ts';

/**
 * Every POST on the console carries the session's form token: one check for all areas, before
 * any route runs, with the kit's one answer (403 invalid_csrf_token, audited as console.csrf).
 */
export function consoleCsrf(deps: HttpDeps): RequestHandler {
  return requireCsrf(deps.runtime.auditor, (_req, res) => ({ action: 'console.csrf', actor: res.locals.user?.identifier ?? null, certificateSerial: res.locals.certificate.record.serial }));
}
