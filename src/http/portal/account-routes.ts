import { Router, type Request, type Response } from 'express';
import type { User } from '../../model/index.ts';
import type { HttpDeps } from '../deps.ts';
import { sendJson, sendPage } from '../respond.ts';
import { KEEPALIVE_PATH } from '../pages/portal/shell.tsx';
import { clientIp } from '../context.ts';
import { AccountPage, FirstLoginPage, PortalHomePage, PortalLandingPage, PortalMessagePage, type AccountForm } from '../pages/portal/index.ts';
import { t } from '../i18n/index.ts';
import { activateAccount, isReturning } from '../../portal/activation.ts';
import { listApplications } from '../../portal/requests.ts';
import { changePassword, requestEmailChange, setNotifications } from '../../portal/account.ts';
import type { FieldError } from '../../portal/fields.ts';
import { fields, pageProps, requestContext, requireCsrf } from './forms.ts';
import { endSession, requireUser } from './session.ts';
import { regenerateSession, saveSession } from '../kit/session.ts';
import { gatewayOrigin, sendHomePage } from './sso-routes.ts';
import { accessibleApplications } from '../../authorization/access.ts';

function previousLogin(user: User): { at: number; ip: string | null } | null {
  return user.previousLoginAt ? { at: user.previousLoginAt, ip: user.previousLoginIp } : null;
}

/** Home, first login, my account, logout. */
export function accountRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const { config } = runtime;
  const router = Router();
  const csrf = requireCsrf(deps);
  const rules = config.accounts.password;

  router.get('/', async (req, res) => {
    const user = res.locals.portalUser;
    // No form on the landing page: no token, so an anonymous visit sets no cookie.
    if (!user) return sendPage(res, 200, PortalLandingPage({ lang: res.locals.lang }));
    if (user.status === 'provisional') return res.redirect(303, '/premiere-connexion');
    const granted = await accessibleApplications(runtime.storage, user.id);
    const applications = config.applications.filter((a) => granted.has(a.id));
    // Requests still with the cell (the one made at registration included): said, not "no access yet, ask for it".
    const pending = (await listApplications(runtime, user)).flatMap((a) => (a.access.state === 'pending' ? [{ name: a.name, since: a.access.since }] : []));
    // Tiles post for a single sign-on ticket and are redirected to the application hosts (src/http/portal/sso-routes.ts).
    sendHomePage(
      res,
      PortalHomePage({
        ...pageProps(deps, req, res),
        givenName: user.givenName,
        previousLogin: previousLogin(user),
        applications: applications.map((a) => ({ id: a.id, name: a.name })),
        pending,
      }),
      applications.map((a) => gatewayOrigin(a.host, config.listeners.gateway.port)),
    );
  });

  // First login (journey 3)
  function renderFirstLogin(req: Request, res: Response, status: number, values?: Record<string, string>, errors: FieldError[] = []) {
    const user = res.locals.portalUser!;
    sendPage(
      res,
      status,
      FirstLoginPage({
        ...pageProps(deps, req, res),
        identifier: user.identifier,
        values: {
          givenName: values?.givenName ?? user.givenName,
          familyName: values?.familyName ?? user.familyName,
          profession: values?.profession ?? user.profession ?? '',
          rpps: values?.rpps ?? user.rpps ?? '',
          acceptTerms: values?.acceptTerms === 'yes',
        },
        errors,
        minLength: rules.minLength,
        historySize: rules.historySize,
        termsUrl: config.accounts.termsUrl ?? '/conditions',
        returning: isReturning(user),
      }),
    );
  }
  router.get('/premiere-connexion', requireUser({ provisional: 'only' }), (req, res) => renderFirstLogin(req, res, 200));
  router.post('/premiere-connexion', requireUser({ provisional: 'only' }), csrf, async (req, res) => {
    const form = fields(req);
    const returning = isReturning(res.locals.portalUser!);
    const outcome = await activateAccount(runtime, res.locals.portalUser!, form, requestContext(req, res));
    if (!outcome.ok) return renderFirstLogin(req, res, 400, form, outcome.errors);
    await regenerateKeeping(req);
    res.redirect(303, returning ? '/?ok=password_changed' : '/?ok=activated');
  });

  // My account
  function renderAccount(req: Request, res: Response, status: number, failed: { form: AccountForm; errors: FieldError[]; values?: Record<string, string> } | null = null) {
    const user = res.locals.portalUser!;
    sendPage(
      res,
      status,
      AccountPage({
        ...pageProps(deps, req, res),
        details: { identifier: user.identifier, givenName: user.givenName, familyName: user.familyName, email: user.email, profession: user.profession, rpps: user.rpps, notificationsOptIn: user.notificationsOptIn === 1 },
        previousLogin: previousLogin(user),
        failed,
        minLength: rules.minLength,
        historySize: rules.historySize,
      }),
    );
  }
  router.get('/compte', requireUser(), (req, res) => renderAccount(req, res, 200));
  // The idle warning's "Rester connecté": reaching here signed in is the activity (requireUser touches the session).
  router.get(KEEPALIVE_PATH, requireUser(), (_req, res) => sendJson(res, 200, { ok: true, idleMinutes: config.session.idleTimeoutMinutes }));
  router.post('/compte/email', requireUser(), csrf, async (req, res) => {
    const form = fields(req);
    const outcome = await requestEmailChange(runtime, res.locals.portalUser!, form.email, requestContext(req, res));
    if (!outcome.ok) return renderAccount(req, res, 400, { form: 'email', errors: outcome.errors, values: { email: form.email ?? '' } });
    res.redirect(303, '/compte?ok=email_change_sent');
  });
  router.post('/compte/notifications', requireUser(), csrf, async (req, res) => {
    await setNotifications(runtime, res.locals.portalUser!, fields(req).optIn === 'yes', requestContext(req, res));
    res.redirect(303, '/compte?ok=notifications_saved');
  });
  router.post('/compte/mot-de-passe', requireUser(), csrf, async (req, res) => {
    const outcome = await changePassword(runtime, res.locals.portalUser!, fields(req), requestContext(req, res));
    if (!outcome.ok) return renderAccount(req, res, 400, { form: 'password', errors: outcome.errors });
    if (outcome.value.locked) {
      await endSession(req, res);
      const lang = res.locals.lang;
      return sendPage(
        res,
        403,
        PortalMessagePage({ lang, title: 'portal.login.title', lead: t(lang, 'portal.login.error.account_locked', { support: config.support.contact }), code: 'account_locked', link: { href: '/connexion', label: 'portal.landing.login' } }),
      );
    }
    await regenerateKeeping(req);
    res.redirect(303, '/compte?ok=password_changed');
  });

  router.post('/deconnexion', csrf, async (req, res) => {
    const user = res.locals.portalUser;
    if (user) await runtime.auditor.record({ action: 'portal.logout', outcome: 'success', actor: user.identifier, subject: user.identifier, ip: clientIp(req) });
    await endSession(req, res);
    res.redirect(303, '/connexion?deconnecte=1');
  });

  return router;
}

/** A new session id after a password change, keeping the person signed in. */
async function regenerateKeeping(req: Request): Promise<void> {
  const auth = req.session.portal;
  await regenerateSession(req);
  if (auth) req.session.portal = auth;
  await saveSession(req);
}
