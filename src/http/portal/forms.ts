import express, { type Request, type RequestHandler, type Response } from 'express';
import type { HttpDeps } from '../deps.ts';
import { clientIp } from '../context.ts';
import { csrfToken, csrfValid } from '../csrf.ts';
import { sendPage } from '../respond.ts';
import { t } from '../i18n/index.ts';
import { NOTICES, PortalMessagePage, type PortalPageProps } from '../pages/portal/index.ts';
import type { RequestContext } from '../../portal/deps.ts';
import { safeNext as safeNextPath } from '../kit/safe-next.ts';
import { fields } from '../kit/forms.ts';

export const formBody = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 30 });

// Shared readers (src/http/kit), importable from here as before.
export { fields };

export function requestContext(req: Request, res: Response): RequestContext {
  return { ip: clientIp(req), lang: res.locals.lang };
}

/** Props every portal page needs: language, who is signed in, the CSRF token, a notice. */
export function pageProps(deps: HttpDeps, req: Request, res: Response): PortalPageProps & { csrfToken: string } {
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

/** Every portal POST carries the session's synchroniser token; without it nothing changes. */
export function requireCsrf(deps: HttpDeps): RequestHandler {
  return async (req, res, next) => {
    if (csrfValid(req.session, fields(req).csrf)) {
      next();
      return;
    }
    await deps.runtime.auditor.record({ action: 'portal.csrf', outcome: 'failure', reason: 'invalid_csrf_token', actor: res.locals.portalUser?.identifier ?? null, ip: clientIp(req), details: { path: req.path } });
    const props = pageProps(deps, req, res);
    sendPage(
      res,
      403,
      PortalMessagePage({ ...props, notice: null, title: 'portal.csrf.title', lead: t(props.lang, 'portal.csrf.lead'), code: 'invalid_csrf_token', link: { href: formPage(req.path), label: 'portal.csrf.back' } }),
    );
  };
}

/** 429 with Retry-After and a page that says how long to wait. */
export function sendRateLimited(deps: HttpDeps, req: Request, res: Response, retryAfterSeconds: number, back: string): void {
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

