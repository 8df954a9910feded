import type { Response } from 'express';
import type { VNode } from 'preact';
import { renderPage } from './pages/render.ts';
import { securityHeaders } from './security-headers.ts';
import { SITE_SETTING, withSite, type Site } from './site.ts';

/** Every page Passerelle renders itself goes out with the strict headers. */
export function sendPage(res: Response, status: number, page: VNode): void {
  securityHeaders(res.req, res, () => undefined);
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
