import express, { Router, type Request, type RequestHandler } from 'express';
import type { GatewayResponse } from '../kit/locals.ts';
import type { HttpDeps } from '../deps.ts';
import { declareNewUser, firstUseState, hasLegacy, signInWithLegacy, type LegacyApplication, type LegacySignInResult } from '../../legacy/index.ts';
import { LegacyFirstUsePage, LEGACY_FIELDS, type FirstUseError } from '../pages/legacy/first-use.tsx';
import { clientIp } from '../context.ts';
import { checkCsrf, csrfToken, type CsrfRefusal } from '../kit/csrf.ts';
import { sendJson, sendPage, wantsHtml } from '../respond.ts';
import { safeGatewayNext as safeNext } from '../kit/safe-next.ts';

export const LEGACY_PATH = '/.passerelle/ancien-identifiant';
export const LEGACY_NEW_PATH = `${LEGACY_PATH}/nouveau`;

const STATUS: Record<FirstUseError, number> = { invalid: 401, locked: 403, unavailable: 503, conflict: 409, legacy_cut_over: 403, missing: 400 };

/**
 * Legacy identifiers on application hosts (journey 9), after requireSignedIn and requireAccess,
 * before the proxy. For an application with `legacy` settings, a person who is neither
 * mapped nor declared new is sent to the first-use page before anything is proxied:
 * "Already a user? sign in once with your previous identifier" / "New? continue".
 * The page stays reachable by its address (for someone who answered "new" by mistake)
 * until they are mapped.
 */
export function legacyFirstUse(deps: HttpDeps): Router {
  const { runtime } = deps;
  const { config } = runtime;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });
  const legacyApp = (res: GatewayResponse): LegacyApplication | null => (hasLegacy(res.locals.application) ? res.locals.application : null);

  function render(req: Request, res: GatewayResponse, status: number, state: 'choice' | 'linked' | 'closed', extra: { error?: FirstUseError; remainingAttempts?: number; legacyUsername?: string; next?: string } = {}): void {
    const body = (req.body ?? {}) as Record<string, unknown>;
    sendPage(
      res,
      status,
      LegacyFirstUsePage({
        lang: res.locals.lang,
        applicationName: res.locals.application.name,
        identifier: res.locals.user!.identifier,
        state,
        csrfToken: csrfToken(req.session, runtime.random),
        signInAction: LEGACY_PATH,
        newUserAction: LEGACY_NEW_PATH,
        next: extra.next ?? safeNext(req.method === 'POST' ? body[LEGACY_FIELDS.next] : req.query.next),
        supportContact: config.support.contact,
        maxFailures: config.lockout.maxFailures,
        error: extra.error ?? null,
        remainingAttempts: extra.remainingAttempts ?? null,
        legacyUsername: extra.legacyUsername,
      }),
    );
  }

  /** A stale form: the kit's one answer (gateway.csrf), back to the first-use page. */
  const refusal = (req: Request, res: GatewayResponse): CsrfRefusal => ({
    action: 'gateway.csrf',
    actor: res.locals.user!.identifier,
    certificateSerial: res.locals.certificate.record.serial,
    applicationId: res.locals.application.id,
    back: `${LEGACY_PATH}?${new URLSearchParams({ next: safeNext((req.body as Record<string, unknown> | undefined)?.[LEGACY_FIELDS.next]) })}`,
  });

  router.get(LEGACY_PATH, async (req, res, next) => {
    const app = legacyApp(res);
    if (!app) return next();
    const state = await firstUseState(runtime, res.locals.user!.id, app);
    if (state.kind === 'mapped') return render(req, res, 200, 'linked', { legacyUsername: state.mapping.legacyUsername });
    render(req, res, 200, state.kind === 'closed' ? 'closed' : 'choice');
  });

  router.post(LEGACY_PATH, form, async (req, res, next) => {
    const app = legacyApp(res);
    if (!app) return next();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body[LEGACY_FIELDS.username] === 'string' ? (body[LEGACY_FIELDS.username] as string).trim().slice(0, 200) : '';
    const password = typeof body[LEGACY_FIELDS.password] === 'string' ? (body[LEGACY_FIELDS.password] as string).slice(0, 1024) : '';
    if (!(await checkCsrf(runtime.auditor, req, res, refusal))) return;
    if (!username || !password) return render(req, res, STATUS.missing, 'choice', { error: 'missing', legacyUsername: username });
    const result: LegacySignInResult = await signInWithLegacy(runtime, {
      user: res.locals.user!,
      app,
      username,
      password,
      ip: clientIp(req),
      certificateSerial: res.locals.certificate.record.serial,
    });
    const back = `${LEGACY_PATH}?${new URLSearchParams({ next: safeNext(body[LEGACY_FIELDS.next]) }).toString()}`;
    switch (result.outcome) {
      case 'mapped':
      case 'already_mapped':
      case 'closed':
        return res.redirect(303, back);
      case 'invalid':
        return render(req, res, STATUS.invalid, 'choice', { error: 'invalid', remainingAttempts: result.remainingAttempts, legacyUsername: username });
      default:
        return render(req, res, STATUS[result.outcome], 'choice', { error: result.outcome, legacyUsername: username });
    }
  });

  router.post(LEGACY_NEW_PATH, form, async (req, res, next) => {
    const app = legacyApp(res);
    if (!app) return next();
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!(await checkCsrf(runtime.auditor, req, res, refusal))) return;
    await declareNewUser(runtime, res.locals.user!, app, { ip: clientIp(req), certificateSerial: res.locals.certificate.record.serial });
    res.redirect(303, safeNext(body[LEGACY_FIELDS.next]));
  });

  // Everything else: only once the person is mapped, declared new, or the application cut over.
  const gate: RequestHandler = async (req, res, next) => {
    const app = legacyApp(res);
    if (!app) return next();
    const state = await firstUseState(runtime, res.locals.user!.id, app);
    if (state.kind !== 'needed') return next();
    if ((req.method === 'GET' || req.method === 'HEAD') && wantsHtml(req)) {
      res.redirect(303, `${LEGACY_PATH}?${new URLSearchParams({ next: safeNext(req.originalUrl) }).toString()}`);
      return;
    }
    sendJson(res, 403, { error: 'legacy_choice_required', message: `open ${LEGACY_PATH} in a browser first: link your previous ${app.name} account or continue as a new user` });
  };
  router.use(gate);
  return router;
}
