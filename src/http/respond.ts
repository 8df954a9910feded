import type { Response } from 'express';
import type { VNode } from 'preact';
import { renderPage } from './pages/render.ts';
import { securityHeaders } from './security-headers.ts';

/** Every page Passerelle renders itself goes out with the strict headers. */
export function sendPage(res: Response, status: number, page: VNode): void {
  securityHeaders(res.req, res, () => undefined);
  res.status(status).type('html').send(renderPage(page));
}

export function sendJson(res: Response, status: number, body: unknown): void {
  securityHeaders(res.req, res, () => undefined);
  res.status(status).json(body);
}

/** Scripts and fetches get JSON; browsers get pages. */
export function wantsHtml(req: Response['req']): boolean {
  return req.accepts(['html', 'json']) === 'html';
}
