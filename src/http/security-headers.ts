import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/*
 * Why no `includeSubDomains` (nor `preload`): Passerelle's hosts are sub-domains of a platform
 * domain the operator also uses for other services, some perhaps still plain HTTP; the parent
 * domain's policy is theirs to set. One year is what the preload list and testssl expect.
 */
const HSTS = 'max-age=31536000';

/**
 * Set by the listeners on every response before any handler runs (src/http/server.ts): what a
 * redirect, a JSON error or an early refusal carries even when no page is rendered.
 */
const BASELINE: Record<string, string> = {
  'Strict-Transport-Security': HSTS,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
};

export function baselineHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(BASELINE)) res.setHeader(name, value);
}

/**
 * Before a response is handed to an application (the proxy): its own headers are its
 * business, so ours are taken back — except HSTS, which speaks for the TLS the gateway
 * terminates. The upstream proxy then writes the application's headers over, an HSTS of its own included.
 */
export function keepTransportSecurityOnly(res: ServerResponse): void {
  for (const name of Object.keys(BASELINE)) if (name !== 'Strict-Transport-Security') res.removeHeader(name);
}

/** For Passerelle's own pages; proxied responses keep the application's headers (plus HSTS). */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  pageHeaders(res);
  next();
};

/** The strict headers of Passerelle's own pages, for a response that never met Express (the fast path). */
export function pageHeaders(res: ServerResponse): void {
  baselineHeaders(res);
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('Cache-Control', 'no-store');
}
