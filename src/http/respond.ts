import type { Response } from 'express';
import type { VNode } from 'preact';
import { renderPage } from './pages/render.ts';
import { securityHeaders } from './security-headers.ts';
import { SITE_SETTING, withSite, type Site } from './site.ts';

/**
 * Every page Passerelle renders itself goes out with the strict headers. `formAction`: other
 * origins a form of this page is redirected to after its POST (Chromium holds that redirect to
 * the page's `form-action`), e.g. the identity provider's end-session endpoint.
 */
export function sendPage(res: Response, status: number, page: VNode, options: { formAction?: readonly string[] } = {}): void {
  securityHeaders(res.req, res, () => undefined);
  const extra = (options.formAction ?? []).filter((o) => /^https:\/\/[a-z0-9.-]+(:\d+)?$/.test(o));
  if (extra.length) res.setHeader('Content-Security-Policy', String(res.getHeader('Content-Security-Policy')).replace("form-action 'self'", ["form-action 'self'", ...extra].join(' ')));
  // Platform name, logo, support and footer links come from the app serving the page (src/http/site.ts).
  const site = res.app?.get(SITE_SETTING) as Site | undefined;
  res.status(status).type('html').send(withSite(site, () => renderPage(page)));
}

export function sendJson(res: Response, status: number, body: unknown): void {
  securityHeaders(res.req, res, () => undefined);
  res.status(status).json(body);
}

/** Scripts and fetches get JSON; browsers get pages. */
export function wantsHtml(req: Response['req']): boolean {
  return req.accepts(['html', 'json']) === 'html';
}
