import { Router, type Request, type Response } from 'express';
import type { HttpDeps } from '../deps.ts';
import { sendPage } from '../respond.ts';
import { clientIp } from '../context.ts';
import { PasswordResetPage, type PasswordResetState } from '../pages/portal/password-reset.tsx';
import { RESET_PATH } from '../../portal/forgot-password.ts';
import { inspectResetLink, resetPassword, type ResetLinkProblem } from '../../portal/password-reset.ts';
import { fields, pageProps, requestContext, requireCsrf } from './forms.ts';
import { regenerateSession } from '../kit/session.ts';
import { endSessionsOf } from './user-sessions.ts';

const PROBLEM_STATUS: Record<ResetLinkProblem, number> = { invalid: 400, expired: 410, used: 410, account_unavailable: 403 };

/**
 * The link of the forgotten-password mail (public listener, under `/mot-de-passe-oublie`, which
 * the portal session covers). GET shows the form and spends nothing; POST spends the link.
 */
export function passwordResetRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const { config } = runtime;
  const router = Router();
  const rules = config.accounts.password;

  function render(req: Request, res: Response, status: number, reset: PasswordResetState | ResetLinkProblem) {
    const props = pageProps(deps, req, res);
    const state = typeof reset === 'string' ? { state: reset, supportContact: config.support.contact } : reset;
    sendPage(res, status, PasswordResetPage({ ...props, reset: state, minLength: rules.minLength, historySize: rules.historySize }));
  }

  router.get(RESET_PATH, async (req, res) => {
    const link = await inspectResetLink(runtime, req.query.jeton);
    if (!link.ok) return render(req, res, PROBLEM_STATUS[link.reason], link.reason);
    render(req, res, 200, { state: 'ready', identifier: link.user.identifier, token: link.token, csrfToken: pageProps(deps, req, res).csrfToken });
  });

  router.post(RESET_PATH, requireCsrf(deps), async (req, res) => {
    const form = fields(req);
    const outcome = await resetPassword(runtime, form, requestContext(req, res));
    if (!outcome.ok) {
      if (outcome.reason !== 'form') return render(req, res, PROBLEM_STATUS[outcome.reason], outcome.reason);
      return render(req, res, 400, { state: 'ready', identifier: outcome.identifier, token: outcome.token, csrfToken: pageProps(deps, req, res).csrfToken, errors: outcome.errors });
    }
    // Whoever held the old password is out: this browser's session too (a fresh id, nothing in it).
    await regenerateSession(req);
    const ended = await endSessionsOf(deps.sessions.store, outcome.user.id);
    if (ended > 0) await runtime.auditor.record({ action: 'password.reset.sessions', outcome: 'info', actor: outcome.user.identifier, subject: outcome.user.identifier, ip: clientIp(req), details: { ended } });
    render(req, res, 200, { state: 'done' });
  });

  return router;
}
