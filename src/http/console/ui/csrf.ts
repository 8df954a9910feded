import type { RequestHandler } from 'express';
import type { HttpDeps } from '../../deps.ts';
import { csrfValid } from '../../csrf.ts';
import { clientIp } from '../../context.ts';
import { ErrorPage } from '../../pages/index.ts';
import { sendPage } from '../../respond.ts';
import { t } from '../../i18n/index.ts';

/**
 * Every POST on the console carries the session's form token; one check for all areas, so a
 * refusal always looks and is audited the same way (403 invalid_csrf_token, console.csrf).
 */
export function consoleCsrf(deps: HttpDeps): RequestHandler {
  const { runtime } = deps;
  return async (req, res, next) => {
    if (req.method !== 'POST' || csrfValid(req.session, (req.body as Record<string, unknown> | undefined)?.csrf)) {
      next();
      return;
    }
    await runtime.auditor.record({
      action: 'console.csrf',
      outcome: 'failure',
      reason: 'invalid_csrf_token',
      actor: res.locals.user?.identifier ?? null,
      ip: clientIp(req),
      certificateSerial: res.locals.certificate.record.serial,
      details: { path: req.path.slice(0, 200) },
    });
    sendPage(res, 403, ErrorPage({ lang: res.locals.lang, status: 403, code: 'invalid_csrf_token', message: t(res.locals.lang, 'console.csrf') }));
  };
}
