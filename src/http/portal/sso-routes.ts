import { Router, type Response } from 'express';
import type { VNode } from 'preact';
import type { HttpDeps } from '../deps.ts';
import { clientIp } from '../context.ts';
import { renderPage } from '../pages/render.ts';
import { securityHeaders } from '../security-headers.ts';
import { sendPage } from '../respond.ts';
import { t } from '../i18n/index.ts';
import { PortalMessagePage } from '../pages/portal/index.ts';
import { issueTicket, type IssueRefusal } from '../../sso/index.ts';
import { SSO_PATH } from '../kit/paths.ts';
import { pageProps, requireCsrf } from './forms.ts';
import { requireUser } from './session.ts';

const REFUSAL_STATUS: Record<IssueRefusal, number> = { unknown_application: 404, no_access: 403, account_not_active: 403 };

/** `https://host[:port]` of an application on the gateway listener. */
export function gatewayOrigin(host: string, port: number): string {
  return `https://${host}${port === 443 ? '' : `:${port}`}`;
}

/**
 * The portal home with its tiles. A tile posts here and is answered by a redirect to the
 * application host; Chromium holds that redirect to the page's `form-action` too, so this
 * page (and only this one) also allows the origins of the person's applications.
 */
export function sendHomePage(res: Response, page: VNode, origins: string[]): void {
  securityHeaders(res.req, res, () => undefined);
  const csp = String(res.getHeader('Content-Security-Policy'));
  const allowed = origins.filter((o) => /^https:\/\/[a-z0-9.-]+(:\d+)?$/.test(o));
  res.setHeader('Content-Security-Policy', csp.replace("form-action 'self'", ["form-action 'self'", ...allowed].join(' ')));
  res.status(200).type('html').send(renderPage(page));
}

/** `POST /applications/:id/ouvrir`: a single sign-on ticket, carried to the application host. */
export function ssoPortalRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const { config } = runtime;
  const router = Router();

  router.post('/applications/:id/ouvrir', requireUser(), requireCsrf(deps), async (req, res) => {
    const user = res.locals.portalUser!;
    const now = runtime.clock.now().getTime();
    const outcome = await issueTicket(runtime, { user, applicationId: String(req.params.id), authenticatedAt: req.session.portal?.authenticatedAt ?? now, ip: clientIp(req) });
    if (!outcome.ok) {
      const props = pageProps(deps, req, res);
      sendPage(
        res,
        REFUSAL_STATUS[outcome.reason],
        PortalMessagePage({ ...props, notice: null, title: 'sso.refused.title', lead: t(props.lang, `sso.refused.${outcome.reason}`), code: outcome.reason, link: { href: '/', label: 'sso.refused.back' } }),
      );
      return;
    }
    const query = new URLSearchParams({ ticket: outcome.ticket, next: '/' });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.redirect(303, `${gatewayOrigin(outcome.application.host, config.listeners.gateway.port)}${SSO_PATH}?${query.toString()}`);
  });

  return router;
}
