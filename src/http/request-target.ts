import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Only origin-form targets (`/path?query`) reach the applications. `*` (asterisk-form, for
 * `OPTIONS *`) names no resource, and absolute-form (`GET https://host/…`) would name a host
 * other than the `Host` header the whole routing reads — both are refused here, before any
 * session or pipeline stage sees a request without a path.
 */
export function hasOriginFormTarget(req: IncomingMessage): boolean {
  return typeof req.url === 'string' && req.url.startsWith('/');
}

/** 400 with a stable code; the listener has already set the baseline security headers. */
export function refuseRequestTarget(res: ServerResponse): void {
  const body = JSON.stringify({ error: 'invalid_request_target', message: 'the request target must be a path starting with /' });
  res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
