import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { HttpDeps } from '../../deps.ts';
import { TotpService, totpKeyMaterial, type SecondFactorState } from '../../../console/index.ts';
import { checkCsrf, csrfToken } from '../../kit/csrf.ts';
import { sendDenial } from '../../kit/deny.ts';
import { safeGatewayNext as safeNext } from '../../kit/safe-next.ts';
import { sendJson, sendPage, wantsHtml } from '../../respond.ts';
import { ChallengePage, EnrolPage, RecoveryCodesPage, type CodeProblem } from '../../pages/console/totp/pages.tsx';
import { regenerateSession, saveSession } from '../../kit/session.ts';
import { actorOf, coordinatorOf, shellOf, text } from './shell.ts';
import type {} from './locals.ts';

export const CHALLENGE_PATH = '/second-facteur';
export const ENROL_PATH = '/second-facteur/activation';

/** One TOTP service per console, its seeds sealed with the configured key (or one derived from the session secret). */
export function consoleTotp(deps: HttpDeps): TotpService {
  return new TotpService(deps.runtime, totpKeyMaterial(deps.runtime.config, deps.sessionSecret));
}

/**
 * The second factor passed: a fresh session id (like at login) carrying the flag. Returns the
 * new session's CSRF token, set before the session is saved.
 */
export async function elevateSession(deps: HttpDeps, req: Request): Promise<string> {
  const auth = req.session.auth;
  if (!auth) throw new Error('elevateSession without a signed-in session');
  await regenerateSession(req);
  req.session.auth = { ...auth, lastSeenAt: deps.runtime.clock.now().getTime(), secondFactor: true };
  const token = csrfToken(req.session, deps.runtime.random);
  await saveSession(req);
  return token;
}

function locked(deps: HttpDeps, req: Request, res: Response): void {
  sendDenial(req, res, deps.runtime.config, 'account_locked', { identifier: coordinatorOf(res).identifier, applicationName: res.locals.application.name });
}

/** The challenge and the enrolment pages: reachable before the second factor is passed. */
export function secondFactorRoutes(deps: HttpDeps, totp: TotpService): Router {
  const { runtime } = deps;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });
  const required = () => runtime.config.console.requireTotp;

  /** Where someone who needs no challenge goes instead. */
  function elsewhere(state: SecondFactorState, req: Request, next: string): string {
    if (state !== 'enabled') return required() && !req.session.auth?.secondFactor ? `${ENROL_PATH}?${new URLSearchParams({ next })}` : next;
    return next;
  }

  /** A stale form: the kit's one answer (console.csrf), back to the same page. */
  const refusal = (path: string, next: string) => (_req: Request, res: Response) => ({
    action: 'console.csrf' as const,
    actor: coordinatorOf(res).identifier,
    certificateSerial: res.locals.certificate.record.serial,
    back: `${path}?${new URLSearchParams({ next })}`,
  });

  const renderChallenge = (req: Request, res: Response, status: number, next: string, problem: CodeProblem = null) =>
    sendPage(res, status, ChallengePage({ ...shellOf(req, res, runtime), notice: null, next, problem }));

  router.get(CHALLENGE_PATH, async (req, res) => {
    const next = safeNext(req.query.next);
    const state = await totp.state(coordinatorOf(res).id);
    if (state !== 'enabled' || req.session.auth?.secondFactor) {
      res.redirect(303, elsewhere(state, req, next));
      return;
    }
    renderChallenge(req, res, 200, next);
  });

  router.post(CHALLENGE_PATH, form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const user = coordinatorOf(res);
    const state = await totp.state(user.id);
    if (state !== 'enabled' || req.session.auth?.secondFactor) {
      res.redirect(303, elsewhere(state, req, next));
      return;
    }
    if (!(await checkCsrf(runtime.auditor, req, res, refusal(CHALLENGE_PATH, next)))) return;
    const outcome = await totp.verify(user, text(body.code, 64), actorOf(req, res));
    if (outcome.ok) {
      await elevateSession(deps, req);
      res.redirect(303, next);
    } else if (outcome.locked) {
      locked(deps, req, res);
    } else {
      renderChallenge(req, res, 401, next, { kind: 'invalid', remaining: outcome.remaining });
    }
  });

  async function renderEnrol(req: Request, res: Response, status: number, next: string, problem: CodeProblem = null): Promise<void> {
    const user = coordinatorOf(res);
    const { secret, uri } = await totp.beginEnrolment(user, actorOf(req, res));
    const forced = required() && !req.session.auth?.secondFactor;
    sendPage(res, status, EnrolPage({ ...shellOf(req, res, runtime), notice: null, identifier: user.identifier, secret, uri, required: forced, next, problem }));
  }

  router.get(ENROL_PATH, async (req, res) => {
    const next = safeNext(req.query.next);
    const state = await totp.state(coordinatorOf(res).id);
    if (state === 'enabled') {
      res.redirect(303, req.session.auth?.secondFactor ? '/securite' : `${CHALLENGE_PATH}?${new URLSearchParams({ next })}`);
      return;
    }
    await renderEnrol(req, res, 200, next);
  });

  router.post(ENROL_PATH, form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const user = coordinatorOf(res);
    if ((await totp.state(user.id)) === 'enabled') {
      res.redirect(303, req.session.auth?.secondFactor ? '/securite' : `${CHALLENGE_PATH}?${new URLSearchParams({ next })}`);
      return;
    }
    if (!(await checkCsrf(runtime.auditor, req, res, refusal(ENROL_PATH, next)))) return;
    const outcome = await totp.confirmEnrolment(user, text(body.code, 64), actorOf(req, res));
    if (outcome.ok) {
      const token = await elevateSession(deps, req);
      sendPage(res, 200, RecoveryCodesPage({ ...shellOf(req, res, runtime), csrfToken: token, notice: null, codes: outcome.recoveryCodes, next }));
    } else if (outcome.locked) {
      locked(deps, req, res);
    } else {
      await renderEnrol(req, res, 401, next, { kind: 'invalid', remaining: outcome.remaining });
    }
  });

  return router;
}

/**
 * Nothing else in the console before the second factor, when the coordinator has one (or the
 * cell requires one): browsers are sent to the challenge (or to enrolment), scripts get 401.
 */
export function requireSecondFactor(deps: HttpDeps, totp: TotpService): RequestHandler {
  return async (req, res, next) => {
    const state = await totp.state(coordinatorOf(res).id);
    res.locals.secondFactorState = state;
    if (req.session.auth?.secondFactor === true || (state !== 'enabled' && !deps.runtime.config.console.requireTotp)) {
      next();
      return;
    }
    if (wantsHtml(req)) {
      const target = state === 'enabled' ? CHALLENGE_PATH : ENROL_PATH;
      res.redirect(303, `${target}?${new URLSearchParams({ next: req.method === 'GET' ? safeNext(req.originalUrl) : '/' })}`);
      return;
    }
    sendJson(res, 401, { error: 'second_factor_required' });
  };
}
