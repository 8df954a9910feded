import express, { Router, type ErrorRequestHandler, type Response } from 'express';
import { Counter } from 'prom-client';
import { failure, OcspService, type OcspOutcome } from '../../ca/ocsp.ts';
import { registry } from '../../observability/metrics.ts';
import type { HttpDeps } from '../deps.ts';

// Counted, not audited: an answer changes nothing, and relying parties ask on every handshake.
const answered = new Counter({
  name: 'passerelle_ocsp_answers_total',
  help: 'OCSP answers: one per certificate asked about (good, revoked, unknown), or the error status (malformedRequest, unauthorized, internalError).',
  labelNames: ['result'] as const,
  registers: [registry],
});

/** The OCSP responder's path on the public listener (the AIA extension of our certificates points here). */
export const OCSP_PATH = '/ocsp';

/** RFC 5019 keeps GET requests under 255 bytes; a few kilobytes leave room for multi-certificate requests. */
const MAX_REQUEST_BYTES = 16 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * RFC 6960 Appendix A: POST {url} with an application/ocsp-request body, or GET {url}/{url-encoded base64
 * of the DER request}. Every answer is an application/ocsp-response with HTTP 200, errors included
 * (malformedRequest, unauthorized, internalError are OCSP statuses, which is what OCSP clients read).
 */
export function ocspRoutes(deps: HttpDeps): Router {
  const ocsp = new OcspService({ pki: deps.runtime.pki, storage: deps.runtime.storage, clock: deps.runtime.clock });
  const router = Router();

  router.post([OCSP_PATH, `${OCSP_PATH}/`], express.raw({ type: () => true, limit: MAX_REQUEST_BYTES }), async (req, res) => {
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) return send(res, failure('malformedRequest'));
    send(res, await ocsp.respond(body));
  });

  // A mounted middleware, not a route with a parameter: the router would answer a bad percent-encoding
  // with an HTML 400 before we could say malformedRequest.
  router.use(OCSP_PATH, async (req, res, next) => {
    if (req.method !== 'GET' || req.path === '/') return next();
    const der = decodeGetPath(req.path.slice(1));
    send(res, der ? await ocsp.respond(der) : failure('malformedRequest'));
  });

  // A body too large or unreadable is a malformed OCSP request, not an HTML error page.
  const bodyErrors: ErrorRequestHandler = (_error, req, res, next) => {
    if (req.path === OCSP_PATH || req.path === `${OCSP_PATH}/`) return send(res, failure('malformedRequest'));
    next(_error);
  };
  router.use(bodyErrors);
  return router;
}

/** The DER request from the path: percent-decoded, then base64 (base64url tolerated); null when neither. */
function decodeGetPath(raw: string): Uint8Array | null {
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    return null;
  }
  text = text.replace(/-/g, '+').replace(/_/g, '/');
  if (text.length === 0 || text.length > (MAX_REQUEST_BYTES * 4) / 3 + 4 || !BASE64.test(text)) return null;
  return Buffer.from(text, 'base64');
}

function send(res: Response, { der, results }: OcspOutcome): void {
  for (const result of results) answered.inc({ result });
  // Always asked afresh: a revocation must show in the very next answer, whatever sits between us and the client.
  res.status(200).type('application/ocsp-response').setHeader('Cache-Control', 'no-cache').send(Buffer.from(der.buffer, der.byteOffset, der.byteLength));
}
