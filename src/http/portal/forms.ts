import express, { type Request, type RequestHandler } from 'express';
import type { HttpDeps } from '../deps.ts';
import { clientIp } from '../context.ts';
import { csrfToken, requireCsrf as requireCsrfKit } from '../kit/csrf.ts';
import { sendPage } from '../respond.ts';
import { t } from '../i18n/index.ts';
import { NOTICES, PORTAL_ASSETS, PortalMessagePage, type PortalPageProps } from '../pages/portal/index.ts';
import type { RequestContext } from '../../portal/deps.ts';
import type { PortalResponse } from './locals.ts';
import { safeNext as safeNextPath } from '../kit/safe-next.ts';
import { fields } from '../kit/forms.ts';

export const formBody = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 30 });

// Shared readers (src/http/kit), importable from here as before.
export { fields };

export function requestContext(req: Request, res: PortalResponse): RequestContext {
  return { ip: clientIp(req), lang: res.locals.lang };
}

/** Props every portal page needs: language, who is signed in, the CSRF token, a notice. */
export function pageProps(deps: HttpDeps, req: Request, res: PortalResponse): PortalPageProps & { csrfToken: string } {
  const user = res.locals.portalUser;
  const ok = typeof req.query.ok === 'string' ? req.query.ok : null;
  return {
    lang: res.locals.lang,
    user: user ? { identifier: user.identifier, givenName: user.givenName, familyName: user.familyName, provisional: user.status === 'provisional' } : null,
    csrfToken: csrfToken(req.session, deps.runtime.random),
    notice: NOTICES.find((n) => n === ok) ?? null,
  };
}

/** Where a refused form sends the person back to (a page they can GET). */
function formPage(path: string): string {
  if (path.startsWith('/compte')) return '/compte';
  if (path.startsWith('/applications')) return '/applications';
  if (path.startsWith('/certificats/')) return '/certificats';
  if (path === '/deconnexion') return '/';
  return path;
}

/** Every portal POST carries the session's synchroniser token; without it nothing changes (src/http/kit/csrf.ts). */
export function requireCsrf(deps: HttpDeps): RequestHandler {
  return requireCsrfKit(deps.runtime.auditor, (req, res) => ({ action: 'portal.csrf', actor: res.locals.portalUser?.identifier ?? null, back: formPage(req.path), assetBase: PORTAL_ASSETS }));
}

/** 429 with Retry-After and a page that says how long to wait. */
export function sendRateLimited(deps: HttpDeps, req: Request, res: PortalResponse, retryAfterSeconds: number, back: string): void {
  const props = pageProps(deps, req, res);
  res.setHeader('Retry-After', String(retryAfterSeconds));
  sendPage(
    res,
    429,
    PortalMessagePage({ ...props, notice: null, title: 'portal.rateLimited.title', lead: t(props.lang, 'portal.rateLimited.lead', { minutes: Math.ceil(retryAfterSeconds / 60) }), code: 'rate_limited', link: { href: back, label: 'portal.csrf.back' } }),
  );
}

/** Only same-origin portal paths: no open redirect through `next`. */
export function safeNext(value: unknown): string {
  return safeNextPath(value, '/connexion');
}

